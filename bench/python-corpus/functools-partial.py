import functools
def power(base, exp): return base ** exp
square = functools.partial(power, exp=2)
assert square(9) == 81
print([square(x) for x in range(5)])
