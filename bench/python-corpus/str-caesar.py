def caesar(s, k):
    out = []
    for c in s:
        if c.isalpha():
            base = ord('A') if c.isupper() else ord('a')
            out.append(chr((ord(c) - base + k) % 26 + base))
        else:
            out.append(c)
    return "".join(out)
assert caesar(caesar("Hello, World!", 3), -3) == "Hello, World!"
print(caesar("abc xyz", 2))
