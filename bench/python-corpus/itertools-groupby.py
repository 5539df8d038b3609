import itertools
data = "aaabbbcccd"
groups = [(k, len(list(g))) for k, g in itertools.groupby(data)]
assert groups == [("a", 3), ("b", 3), ("c", 3), ("d", 1)]
print(groups)
