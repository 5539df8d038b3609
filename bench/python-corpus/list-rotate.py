def rotate(xs, k):
    k %= len(xs) or 1
    return xs[-k:] + xs[:-k]
assert rotate([1, 2, 3, 4, 5], 2) == [4, 5, 1, 2, 3]
assert rotate([1], 5) == [1]
print(rotate(list("abcdef"), 4))
