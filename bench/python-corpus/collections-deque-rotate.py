from collections import deque
d = deque(range(10))
d.rotate(3)
assert list(d)[:3] == [7, 8, 9]
d = deque(maxlen=3)
for i in range(10): d.append(i)
print(list(d))
