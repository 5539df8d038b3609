import base64
data = bytes(range(256))
assert base64.b64decode(base64.b64encode(data)) == data
assert base64.urlsafe_b64encode(b"\xfb\xff").decode() == "-_8="
print(base64.b64encode(b"sandbox").decode())
