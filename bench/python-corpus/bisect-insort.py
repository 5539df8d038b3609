import bisect
xs = []
for x in [5, 1, 4, 2, 3]: bisect.insort(xs, x)
assert xs == [1, 2, 3, 4, 5]
assert bisect.bisect_left(xs, 3) == 2
grades = "FDCBA"
print([grades[bisect.bisect([60, 70, 80, 90], s)] for s in (33, 99, 77, 70, 89, 90, 100)])
