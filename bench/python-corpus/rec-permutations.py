def perms(xs):
    if len(xs) <= 1: return [xs]
    return [[x] + p for i, x in enumerate(xs) for p in perms(xs[:i] + xs[i + 1:])]
import itertools
assert sorted(map(tuple, perms([1, 2, 3, 4]))) == sorted(itertools.permutations([1, 2, 3, 4]))
print(len(perms(list(range(6)))))
