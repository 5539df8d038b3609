def gcd(a, b): return a if b == 0 else gcd(b, a % b)
assert gcd(1071, 462) == 21
print(gcd(2 ** 40, 6 ** 20))
