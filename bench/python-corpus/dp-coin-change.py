def ways(coins, total):
    w = [1] + [0] * total
    for c in coins:
        for t in range(c, total + 1): w[t] += w[t - c]
    return w[total]
assert ways([1, 2, 5], 5) == 4
print(ways([1, 2, 5, 10, 20, 50, 100, 200], 200))
