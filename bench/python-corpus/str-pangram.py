import string
def pangram(s): return set(string.ascii_lowercase) <= set(s.lower())
assert pangram("The quick brown fox jumps over the lazy dog")
assert not pangram("hello")
print("pangram")
