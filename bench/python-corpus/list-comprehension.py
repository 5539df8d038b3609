squares = [x * x for x in range(20) if x % 2 == 0]
assert squares[:4] == [0, 4, 16, 36]
print(sum(squares))
