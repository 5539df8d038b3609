def merge_sort(xs):
    if len(xs) <= 1: return xs
    mid = len(xs) // 2
    a, b = merge_sort(xs[:mid]), merge_sort(xs[mid:])
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]: out.append(a[i]); i += 1
        else: out.append(b[j]); j += 1
    return out + a[i:] + b[j:]
import random
r = random.Random(2)
data = [r.random() for _ in range(500)]
assert merge_sort(data) == sorted(data)
print("sorted", len(data))
