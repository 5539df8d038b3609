people = [("ann", 31), ("bob", 25), ("cy", 31), ("di", 19)]
by_age = sorted(people, key=lambda p: (-p[1], p[0]))
assert by_age[0] == ("ann", 31) and by_age[-1] == ("di", 19)
print(by_age)
