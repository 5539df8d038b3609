text = "a b c a b a"
freq = {}
for w in text.split(): freq[w] = freq.get(w, 0) + 1
order = sorted(freq, key=lambda w: (-freq[w], w))
assert order == ["a", "b", "c"]
print(order)
