cfg = {"policy": {"files": [{"path": "/workspace/**", "access": "write"}]}}
def get(d, path, default=None):
    for key in path:
        try: d = d[key]
        except (KeyError, IndexError, TypeError): return default
    return d
assert get(cfg, ["policy", "files", 0, "access"]) == "write"
assert get(cfg, ["policy", "net"], "none") == "none"
print(get(cfg, ["policy", "files", 0, "path"]))
