import html
s = '<script>alert("x")</script>'
e = html.escape(s)
assert "<" not in e and html.unescape(e) == s
print(e[:12])
