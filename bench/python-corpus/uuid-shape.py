import uuid
u = uuid.uuid4()
assert len(str(u)) == 36 and str(u).count("-") == 4 and u.version == 4
assert uuid.UUID(str(u)) == u
print(uuid.uuid5(uuid.NAMESPACE_DNS, "example.org"))
