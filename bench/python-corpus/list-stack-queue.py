from collections import deque
stack, queue = [], deque()
for i in range(5): stack.append(i); queue.append(i)
assert stack.pop() == 4 and queue.popleft() == 0
print(len(stack), len(queue))
