def subsets(xs):
    if not xs: return [[]]
    rest = subsets(xs[1:])
    return rest + [[xs[0]] + s for s in rest]
assert len(subsets(list(range(10)))) == 1024
print(sorted(subsets([1, 2, 3])))
