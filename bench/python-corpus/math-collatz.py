def collatz_len(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps
assert collatz_len(27) == 111
print(max(range(1, 3000), key=collatz_len))
