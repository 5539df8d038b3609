tree = ("a", [("b", [("d", []), ("e", [("f", [])])]), ("c", [])])
def depth(t): return 1 + max((depth(c) for c in t[1]), default=0)
def count(t): return 1 + sum(count(c) for c in t[1])
assert depth(tree) == 4 and count(tree) == 6
print(depth(tree), count(tree))
