import io
buf = io.StringIO()
for i in range(3): print("line", i, file=buf)
assert buf.getvalue().splitlines() == ["line 0", "line 1", "line 2"]
print(len(buf.getvalue()))
