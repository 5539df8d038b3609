import re
out = re.sub(r"\d+", lambda m: str(int(m.group()) * 2), "a1 b22 c333")
assert out == "a2 b44 c666"
print(out)
