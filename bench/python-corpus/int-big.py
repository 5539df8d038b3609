n = 3 ** 200
assert n % 7 == pow(3, 200, 7)
assert int(str(n)) == n
print(len(str(n)), n.bit_length())
