def flatten(x):
    for e in x:
        if isinstance(e, list): yield from flatten(e)
        else: yield e
assert list(flatten([1, [2, [3, [4]], 5]])) == [1, 2, 3, 4, 5]
print(list(flatten([[["deep"]], "flat"])))
