def vowels(s): return sum(c in "aeiouAEIOU" for c in s)
assert vowels("Hello World") == 3
print(vowels("The quick brown fox jumps over the lazy dog"))
