from enum import Enum, auto
class Decision(Enum):
    ALLOW = auto()
    DENY = auto()
    ASK = auto()
assert Decision["DENY"] is Decision.DENY
assert [d.name for d in Decision] == ["ALLOW", "DENY", "ASK"]
print(Decision.ASK.value)
