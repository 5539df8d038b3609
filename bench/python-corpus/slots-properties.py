class Limits:
    __slots__ = ("_ms",)
    def __init__(self, ms): self._ms = ms
    @property
    def seconds(self): return self._ms / 1000
    @seconds.setter
    def seconds(self, s): self._ms = int(s * 1000)
l = Limits(2500)
assert l.seconds == 2.5
l.seconds = 1
assert l._ms == 1000
print(l.seconds)
