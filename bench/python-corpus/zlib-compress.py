import zlib
data = b"sandbox " * 1000
c = zlib.compress(data)
assert zlib.decompress(c) == data and len(c) < len(data) // 10
print(len(c) < 200)
