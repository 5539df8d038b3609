import math
def isqrt(n):
    x = n
    y = (x + 1) // 2
    while y < x: x, y = y, (y + n // y) // 2
    return x
assert all(isqrt(n) == math.isqrt(n) for n in range(10000))
print(isqrt(10 ** 30))
