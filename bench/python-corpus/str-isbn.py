def isbn10(s):
    s = s.replace("-", "")
    if len(s) != 10: return False
    total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(s))
    return total % 11 == 0
assert isbn10("0-306-40615-2") and not isbn10("0-306-40615-3")
print("isbn ok")
