from urllib.parse import urlparse, parse_qs, urlencode, quote
u = urlparse("http://127.0.0.1:5760/v1/items?q=a%20b&n=2")
assert u.port == 5760 and parse_qs(u.query) == {"q": ["a b"], "n": ["2"]}
assert urlencode({"a": "x y"}) == "a=x+y" and quote("/a b") == "/a%20b"
print(u.path)
