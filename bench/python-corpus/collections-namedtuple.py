from collections import namedtuple
Run = namedtuple("Run", "engine ms exit_code")
r = Run("gated", 12.5, 0)
assert r.engine == "gated" and r._replace(ms=1)[1] == 1
print(r._asdict())
