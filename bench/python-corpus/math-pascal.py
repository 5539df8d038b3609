def pascal(n):
    row = [1]
    for _ in range(n): row = [a + b for a, b in zip([0] + row, row + [0])]
    return row
import math
assert pascal(10) == [math.comb(10, k) for k in range(11)]
print(pascal(6))
