def lcp(words):
    if not words: return ""
    prefix = words[0]
    for w in words[1:]:
        while not w.startswith(prefix): prefix = prefix[:-1]
    return prefix
assert lcp(["flower", "flow", "flight"]) == "fl"
assert lcp(["dog", "car"]) == ""
print(lcp(["interspecies", "interstellar", "interstate"]))
