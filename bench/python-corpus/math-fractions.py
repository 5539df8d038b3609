from fractions import Fraction
h = sum(Fraction(1, n) for n in range(1, 11))
assert h == Fraction(7381, 2520)
print(h, float(h))
