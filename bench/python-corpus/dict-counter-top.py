from collections import Counter
text = "to be or not to be that is the question"
top = Counter(text.split()).most_common(2)
assert top == [("to", 2), ("be", 2)]
print(top)
