import random
r1, r2 = random.Random(42), random.Random(42)
a = [r1.random() for _ in range(5)]
assert a == [r2.random() for _ in range(5)]
xs = list(range(10)); random.Random(7).shuffle(xs)
assert sorted(xs) == list(range(10))
print(len(set(a)))
