import re
log = "2026-12-08 01:02:03 deny path_open /workspace/keys\n2026-12-08 01:02:04 allow fd_read /workspace/a"
rows = [m.groupdict() for m in re.finditer(r"(?P<date>\S+) (?P<time>\S+) (?P<decision>\w+) (?P<call>\w+) (?P<path>\S+)", log)]
assert [r["decision"] for r in rows] == ["deny", "allow"]
print(rows[0]["path"])
