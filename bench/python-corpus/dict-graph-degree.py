edges = [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")]
deg = {}
for u, v in edges:
    deg[u] = deg.get(u, 0) + 1
    deg[v] = deg.get(v, 0) + 1
assert deg == {"a": 2, "b": 2, "c": 3, "d": 1}
print(max(deg, key=deg.get))
