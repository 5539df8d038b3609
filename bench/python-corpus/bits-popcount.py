def popcount(n):
    c = 0
    while n: n &= n - 1; c += 1
    return c
assert all(popcount(n) == bin(n).count("1") for n in range(2048))
print(popcount(2 ** 64 - 1), (255).bit_length())
