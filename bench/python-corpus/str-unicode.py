import unicodedata
s = "Ünïcödé"
plain = "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
assert plain == "Unicode"
print(plain, len(s))
