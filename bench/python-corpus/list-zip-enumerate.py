names = ["wasmer", "gated"]
ms = [89, 609]
pairs = {n: m for n, m in zip(names, ms)}
assert pairs["gated"] == 609
for i, n in enumerate(names): assert names[i] == n
print(pairs)
