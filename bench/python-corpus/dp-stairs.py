def climb(n):
    a, b = 1, 1
    for _ in range(n): a, b = b, a + b
    return a
assert [climb(i) for i in range(6)] == [1, 1, 2, 3, 5, 8]
print(climb(40))
