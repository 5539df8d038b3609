def divisors_sum(n): return sum(d for d in range(1, n // 2 + 1) if n % d == 0)
perfect = [n for n in range(2, 600) if divisors_sum(n) == n]
assert perfect == [6, 28, 496]
assert divisors_sum(8128) == 8128
print(perfect)
