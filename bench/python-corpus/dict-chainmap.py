from collections import ChainMap
defaults = {"engine": "gated", "timeout": 10000}
user = {"timeout": 2000}
cfg = ChainMap(user, defaults)
assert cfg["timeout"] == 2000 and cfg["engine"] == "gated"
print(dict(cfg))
