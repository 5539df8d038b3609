import re
parts = re.split(r"[;,\s]+", "a, b;c  d")
assert parts == ["a", "b", "c", "d"]
print(parts)
