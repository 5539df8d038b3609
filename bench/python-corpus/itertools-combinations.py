import itertools
pairs = list(itertools.combinations("abcd", 2))
assert len(pairs) == 6
assert len(list(itertools.product(range(3), repeat=3))) == 27
print(pairs[:3])
