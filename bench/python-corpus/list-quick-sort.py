def qs(xs):
    if len(xs) < 2: return xs
    p, *rest = xs
    return qs([x for x in rest if x < p]) + [p] + qs([x for x in rest if x >= p])
assert qs([3, 6, 1, 8, 2, 9, 2]) == [1, 2, 2, 3, 6, 8, 9]
print(qs(list("sandbox")))
