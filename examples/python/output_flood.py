# Floods stdout. The sandbox keeps the first bytes up to the output cap and
# marks the rest as truncated; the page does not freeze.
line = "flood " * 16
i = 0
while i < 2_000_000:
    print(i, line)
    i += 1
