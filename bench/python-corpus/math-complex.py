import cmath
z = complex(3, 4)
assert abs(z) == 5
r, phi = cmath.polar(z)
assert abs(cmath.rect(r, phi) - z) < 1e-12
print(z * z.conjugate())
