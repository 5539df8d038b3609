from collections import Counter
def anagram(a, b): return Counter(a.replace(" ", "").lower()) == Counter(b.replace(" ", "").lower())
assert anagram("Dormitory", "dirty room")
assert not anagram("abc", "abd")
print(anagram("listen", "silent"))
