import os, tempfile
d = tempfile.mkdtemp(dir=".")
p = os.path.join(d, "data.txt")
with open(p, "w") as f: f.write("alpha\nbeta\n")
with open(p) as f: lines = f.read().splitlines()
assert lines == ["alpha", "beta"]
os.remove(p); os.rmdir(d)
print(len(lines))
