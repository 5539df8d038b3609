a = {"x": 1, "y": 2}
b = {"y": 3, "z": 4}
m = a | b
assert m == {"x": 1, "y": 3, "z": 4}
print(sorted(m))
