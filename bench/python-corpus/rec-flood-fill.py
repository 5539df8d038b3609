grid = [list(r) for r in ["..#..", ".##..", "#...#", "....."]]
def fill(r, c):
    if not (0 <= r < len(grid) and 0 <= c < len(grid[0])) or grid[r][c] != ".": return 0
    grid[r][c] = "o"
    return 1 + fill(r + 1, c) + fill(r - 1, c) + fill(r, c + 1) + fill(r, c - 1)
n = fill(0, 0)
assert n == 3
print(n, "".join(grid[0]))
