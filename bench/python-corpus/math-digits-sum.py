def digit_sum(n): return sum(map(int, str(n)))
assert digit_sum(2 ** 15) == 26
print(digit_sum(2 ** 1000))
