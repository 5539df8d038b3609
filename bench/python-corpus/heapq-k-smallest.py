import heapq
xs = [9, 4, 7, 1, 8, 2, 6]
assert heapq.nsmallest(3, xs) == [1, 2, 4]
h = []
for x in xs: heapq.heappush(h, x)
assert [heapq.heappop(h) for _ in range(len(xs))] == sorted(xs)
print(heapq.nlargest(2, xs))
