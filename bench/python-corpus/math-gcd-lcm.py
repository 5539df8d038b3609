import math
assert math.gcd(48, 180) == 12
assert math.lcm(4, 6) == 12
def gcd(a, b):
    while b: a, b = b, a % b
    return a
assert all(gcd(a, b) == math.gcd(a, b) for a in range(1, 60) for b in range(1, 60))
print(math.lcm(*range(1, 21)))
