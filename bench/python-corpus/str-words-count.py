text = "the cat and the hat and the bat"
counts = {}
for w in text.split(): counts[w] = counts.get(w, 0) + 1
assert counts["the"] == 3 and counts["and"] == 2
print(sorted(counts.items()))
