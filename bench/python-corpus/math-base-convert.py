def to_base(n, b):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if n == 0: return "0"
    out = ""
    while n: n, r = divmod(n, b); out = digits[r] + out
    return out
assert all(int(to_base(n, b), b) == n for n in range(0, 500, 7) for b in (2, 8, 16, 36))
print(to_base(255, 2), to_base(2026, 36))
