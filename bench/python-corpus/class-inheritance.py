class Engine:
    name = "base"
    def describe(self): return f"{self.name} engine"
class Gated(Engine):
    name = "gated"
    def describe(self): return super().describe() + " (enforces the policy)"
assert Gated().describe() == "gated engine (enforces the policy)"
assert isinstance(Gated(), Engine)
print(Gated.__mro__[1].__name__)
