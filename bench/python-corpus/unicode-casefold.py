assert "Straße".casefold() == "strasse"
assert "ǅ".lower() == "ǆ"
assert sorted(["b", "A", "a", "B"], key=str.casefold) == ["A", "a", "b", "B"]
print("ß".upper())
