def bsearch(xs, x):
    lo, hi = 0, len(xs) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if xs[mid] == x: return mid
        if xs[mid] < x: lo = mid + 1
        else: hi = mid - 1
    return -1
xs = list(range(0, 1000, 3))
assert all(bsearch(xs, x) == i for i, x in enumerate(xs))
assert bsearch(xs, 4) == -1
print(bsearch(xs, 999))
