from operator import itemgetter, attrgetter
rows = [{"n": "b", "v": 2}, {"n": "a", "v": 3}]
assert sorted(rows, key=itemgetter("n"))[0]["v"] == 3
assert itemgetter(0, 2)("abc") == ("a", "c")
print(max(rows, key=itemgetter("v"))["n"])
