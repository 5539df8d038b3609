import textwrap
text = "Sandboxes have escape routes: a denied network can still leak a secret through log output."
lines = textwrap.wrap(text, 30)
assert all(len(l) <= 30 for l in lines)
print(len(lines))
