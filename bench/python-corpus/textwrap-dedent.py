import textwrap
s = textwrap.dedent('''
    def f():
        return 1
''').strip()
assert s.startswith("def f():") and "\n    return 1" in s
print(s.count("\n"))
