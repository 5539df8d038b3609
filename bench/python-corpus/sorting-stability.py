records = [("b", 1), ("a", 2), ("b", 0), ("a", 1)]
by_first = sorted(records, key=lambda r: r[0])
assert by_first == [("a", 2), ("a", 1), ("b", 1), ("b", 0)]
print(by_first[0])
