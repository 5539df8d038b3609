from itertools import accumulate
xs = [1, 2, 3, 4, 5]
ps = [0, *accumulate(xs)]
assert ps[5] - ps[2] == 12
print(ps)
