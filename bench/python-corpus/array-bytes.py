from array import array
a = array("i", range(10))
assert a.tobytes()[:4] == (0).to_bytes(4, "little")
b = bytearray(b"abc"); b[0] = ord("A")
assert bytes(b) == b"Abc"
print(sum(a))
