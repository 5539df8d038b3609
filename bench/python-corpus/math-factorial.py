import math
def fact(n): return 1 if n < 2 else n * fact(n - 1)
assert fact(20) == math.factorial(20)
print(len(str(math.factorial(500))))
