def window_max(xs, k): return [max(xs[i:i + k]) for i in range(len(xs) - k + 1)]
assert window_max([1, 3, -1, -3, 5, 3, 6, 7], 3) == [3, 3, 5, 5, 6, 7]
print(window_max(list(range(10)), 4))
