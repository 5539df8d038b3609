def powmod(b, e, m):
    r = 1; b %= m
    while e:
        if e & 1: r = r * b % m
        b = b * b % m; e >>= 1
    return r
assert all(powmod(b, e, 97) == pow(b, e, 97) for b in range(20) for e in range(40))
print(powmod(3, 10 ** 18, 1000000007))
