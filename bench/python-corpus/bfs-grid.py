from collections import deque
grid = ["S.#.", "..#.", "...E"]
def bfs():
    rows, cols = len(grid), len(grid[0])
    q, seen = deque([(0, 0, 0)]), {(0, 0)}
    while q:
        r, c, d = q.popleft()
        if grid[r][c] == "E": return d
        for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            nr, nc = r + dr, c + dc
            if 0 <= nr < rows and 0 <= nc < cols and grid[nr][nc] != "#" and (nr, nc) not in seen:
                seen.add((nr, nc)); q.append((nr, nc, d + 1))
assert bfs() == 5
print(bfs())
