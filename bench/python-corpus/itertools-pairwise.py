import itertools
xs = [1, 4, 9, 16, 25]
diffs = [b - a for a, b in itertools.pairwise(xs)]
assert diffs == [3, 5, 7, 9]
print(diffs)
