import re
text = "write to ann@example.org or bob.smith@mail.example.com, not at@"
emails = re.findall(r"[\w.]+@[\w-]+(?:\.[\w-]+)+", text)
assert emails == ["ann@example.org", "bob.smith@mail.example.com"]
print(len(emails))
