import hashlib
h = hashlib.sha256(b"playpen").hexdigest()
assert len(h) == 64
assert hashlib.md5(b"").hexdigest() == "d41d8cd98f00b204e9800998ecf8427e"
print(h[:16])
