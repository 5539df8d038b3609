from typing import TypeVar, Generic
T = TypeVar("T")
class Box(Generic[T]):
    def __init__(self, v: T): self.v = v
    def map(self, f): return Box(f(self.v))
assert Box(3).map(lambda x: x * 2).v == 6
print(Box("a").map(str.upper).v)
