from dataclasses import dataclass, field, asdict
@dataclass(order=True)
class Rule:
    path: str
    access: str = "read"
    tags: list = field(default_factory=list)
a, b = Rule("/a"), Rule("/b", "write")
assert a < b and asdict(b)["access"] == "write"
print(sorted([b, a])[0].path)
