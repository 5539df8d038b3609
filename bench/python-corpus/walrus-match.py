def describe(x):
    match x:
        case {"decision": "deny", "rule": rule}: return f"denied by {rule}"
        case [first, *rest]: return f"list of {1 + len(rest)}"
        case int(n) if (half := n // 2) > 1: return f"int, half {half}"
        case _: return "other"
assert describe({"decision": "deny", "rule": "r1"}) == "denied by r1"
assert describe([1, 2, 3]) == "list of 3"
assert describe(10) == "int, half 5"
print(describe("x"))
