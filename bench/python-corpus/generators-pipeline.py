def numbers():
    yield from range(1, 100)
def evens(xs): return (x for x in xs if x % 2 == 0)
def squares(xs): return (x * x for x in xs)
total = sum(squares(evens(numbers())))
assert total == sum(x * x for x in range(2, 100, 2))
print(total)
