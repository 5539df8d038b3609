limits = {"memoryMiB": 512, "wallMs": 10000, "stdoutBytes": 1048576, "pids": 0}
set_ = {k: v for k, v in limits.items() if v}
assert "pids" not in set_
print(sorted(set_))
