rows = [("python", 3.12), ("lua", 5.4), ("ruby", 3.4)]
lines = [f"{n:<8}|{v:>6.2f}" for n, v in rows]
assert lines[0] == "python  |  3.12"
print("\n".join(lines))
