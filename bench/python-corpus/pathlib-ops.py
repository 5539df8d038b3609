from pathlib import PurePosixPath
p = PurePosixPath("/workspace/proj/keys/secret.txt")
assert p.name == "secret.txt" and p.suffix == ".txt" and p.parent.name == "keys"
assert p.relative_to("/workspace").parts[0] == "proj"
print(p.with_suffix(".json"))
