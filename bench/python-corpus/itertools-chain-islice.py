import itertools
evens = (x for x in itertools.count() if x % 2 == 0)
assert list(itertools.islice(evens, 5)) == [0, 2, 4, 6, 8]
assert list(itertools.chain([1], (2, 3), "4")) == [1, 2, 3, "4"]
print(list(itertools.accumulate([1, 2, 3, 4], lambda a, b: a * b)))
