xs = [3, 1, 4, 1, 5, 9, 2, 6]
assert sum(xs) == 31 and max(xs) == 9 and min(xs) == 1
print(sum(xs), max(xs))
