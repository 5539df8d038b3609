a, b = set("sandbox"), set("sandcastle")
assert a & b == set("sand")
assert "b" in a - b
print(sorted(a ^ b))
