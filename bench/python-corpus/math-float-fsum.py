import math
xs = [0.1] * 10
assert math.fsum(xs) == 1.0
assert abs(sum(xs) - 1.0) < 1e-12
print(math.fsum(xs), round(sum(xs), 15))
