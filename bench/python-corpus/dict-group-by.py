from collections import defaultdict
words = ["apple", "avocado", "banana", "blueberry", "cherry"]
groups = defaultdict(list)
for w in words: groups[w[0]].append(w)
assert groups["b"] == ["banana", "blueberry"]
print(dict(groups))
