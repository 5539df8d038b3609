from collections import OrderedDict
class LRU:
    def __init__(self, n): self.n, self.d = n, OrderedDict()
    def get(self, k):
        if k not in self.d: return None
        self.d.move_to_end(k); return self.d[k]
    def put(self, k, v):
        self.d[k] = v; self.d.move_to_end(k)
        if len(self.d) > self.n: self.d.popitem(last=False)
c = LRU(2)
c.put(1, 1); c.put(2, 2); c.get(1); c.put(3, 3)
assert c.get(2) is None and c.get(1) == 1
print(list(c.d))
