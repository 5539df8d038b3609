data = "héllo".encode("utf-8")
h = data.hex()
assert bytes.fromhex(h).decode("utf-8") == "héllo"
print(h)
