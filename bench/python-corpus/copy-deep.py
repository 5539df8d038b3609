import copy
policy = {"files": [{"path": "/workspace/**"}]}
shallow, deep = copy.copy(policy), copy.deepcopy(policy)
policy["files"][0]["path"] = "/"
assert shallow["files"][0]["path"] == "/" and deep["files"][0]["path"] == "/workspace/**"
print(deep)
