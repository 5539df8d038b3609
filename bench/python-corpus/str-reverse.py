def rev(s): return s[::-1]
assert rev("abc") == "cba"
assert rev("") == ""
print(rev("playpen"))
