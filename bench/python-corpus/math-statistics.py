import statistics
xs = [2, 4, 4, 4, 5, 5, 7, 9]
assert statistics.mean(xs) == 5
assert statistics.pstdev(xs) == 2
print(statistics.median(xs), statistics.mode(xs))
