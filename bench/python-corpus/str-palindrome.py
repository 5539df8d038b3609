def is_pal(s):
    t = [c.lower() for c in s if c.isalnum()]
    return t == t[::-1]
assert is_pal("A man, a plan, a canal: Panama")
assert not is_pal("race a car")
print("ok")
