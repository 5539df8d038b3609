def dedupe(xs): return list(dict.fromkeys(xs))
assert dedupe([3, 1, 3, 2, 1]) == [3, 1, 2]
print(dedupe("mississippi"))
