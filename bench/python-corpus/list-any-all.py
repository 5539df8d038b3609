xs = [2, 4, 6, 8]
assert all(x % 2 == 0 for x in xs) and not any(x > 10 for x in xs)
print(all(xs), any([]))
