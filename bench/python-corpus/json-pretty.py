import json
doc = json.loads('{"b": [1, 2, {"c": null}], "a": true}')
out = json.dumps(doc, indent=2, sort_keys=True)
assert out.splitlines()[1] == '  "a": true,'
print(out.count("\n"))
