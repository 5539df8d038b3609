index = {}
for i, w in enumerate("one two one three two one".split()): index.setdefault(w, []).append(i)
assert index["one"] == [0, 2, 5]
print(index)
