def title(s): return " ".join(w[:1].upper() + w[1:].lower() for w in s.split())
assert title("hELLO wORLD") == "Hello World"
print(title("sandbox all the things"))
