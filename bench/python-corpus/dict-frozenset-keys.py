seen = {frozenset({"read", "write"}): "rw", frozenset({"read"}): "ro"}
assert seen[frozenset({"write", "read"})] == "rw"
print(len(seen))
