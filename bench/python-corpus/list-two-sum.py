def two_sum(xs, target):
    seen = {}
    for i, x in enumerate(xs):
        if target - x in seen: return seen[target - x], i
        seen[x] = i
assert two_sum([2, 7, 11, 15], 9) == (0, 1)
print(two_sum([3, 2, 4], 6))
