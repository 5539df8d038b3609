m = [[1, 2, 3], [4, 5, 6]]
t = [list(r) for r in zip(*m)]
assert t == [[1, 4], [2, 5], [3, 6]]
print(t)
