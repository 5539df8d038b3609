def matmul(a, b): return [[sum(x * y for x, y in zip(r, c)) for c in zip(*b)] for r in a]
i2 = [[1, 0], [0, 1]]
m = [[2, 3], [4, 5]]
assert matmul(m, i2) == m
print(matmul(m, m))
