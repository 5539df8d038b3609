def bins(n): return [""] if n == 0 else [p + b for p in bins(n - 1) for b in "01"]
assert bins(3) == ["000", "001", "010", "011", "100", "101", "110", "111"]
print(len(bins(12)))
