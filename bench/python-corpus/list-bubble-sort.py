def bubble(xs):
    xs = list(xs)
    for i in range(len(xs)):
        for j in range(len(xs) - 1 - i):
            if xs[j] > xs[j + 1]: xs[j], xs[j + 1] = xs[j + 1], xs[j]
    return xs
import random
r = random.Random(1)
data = [r.randint(0, 100) for _ in range(60)]
assert bubble(data) == sorted(data)
print(bubble([5, 2, 8, 1]))
