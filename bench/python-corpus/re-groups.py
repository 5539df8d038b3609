import re
m = re.match(r"(?P<key>\w+)=(?P<value>.*)", "API_KEY=sk-test")
assert m and m["key"] == "API_KEY" and m["value"] == "sk-test"
print(m.groupdict())
