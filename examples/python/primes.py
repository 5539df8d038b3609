# CPU-bound pure Python: count primes below a limit with a sieve.
import sys
import time

limit = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
start = time.perf_counter()
sieve = bytearray([1]) * (limit + 1)
sieve[0:2] = b"\x00\x00"
for i in range(2, int(limit**0.5) + 1):
    if sieve[i]:
        sieve[i * i :: i] = bytes(len(range(i * i, limit + 1, i)))
print(f"{sum(sieve)} primes below {limit} in {time.perf_counter() - start:.3f}s")
