import struct
b = struct.pack("<IhB", 0xdeadbeef, -2, 7)
assert len(b) == 7
assert struct.unpack("<IhB", b) == (0xdeadbeef, -2, 7)
print(b.hex())
