def rle(s):
    out, i = [], 0
    while i < len(s):
        j = i
        while j < len(s) and s[j] == s[i]: j += 1
        out.append(f"{j - i}{s[i]}")
        i = j
    return "".join(out)
assert rle("aaabccdddd") == "3a1b2c4d"
assert rle("") == ""
print(rle("wwwwaaadexxxxxx"))
