import json
doc = {"run": {"exitCode": 0, "stdout": "1\n", "audit": [{"decision": "allow"}]}}
s = json.dumps(doc, sort_keys=True)
assert json.loads(s) == doc
print(len(s))
