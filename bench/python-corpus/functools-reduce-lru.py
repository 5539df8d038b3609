import functools
assert functools.reduce(lambda a, b: a * b, range(1, 6)) == 120
@functools.lru_cache(maxsize=None)
def paths(r, c): return 1 if r == 0 or c == 0 else paths(r - 1, c) + paths(r, c - 1)
assert paths(2, 2) == 6
print(paths(16, 16))
