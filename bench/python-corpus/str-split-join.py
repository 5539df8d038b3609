csv = "a,b,,d"
parts = csv.split(",")
assert parts == ["a", "b", "", "d"]
assert ",".join(parts) == csv
print(len(parts))
