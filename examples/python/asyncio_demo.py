# asyncio, selectors and time.sleep(0) work in the sandbox (no threads, one event loop).
import asyncio
import time


async def worker(name, delay):
    await asyncio.sleep(delay)
    return f"{name} done after {delay}s"


async def main():
    results = await asyncio.gather(worker("a", 0.2), worker("b", 0.1), worker("c", 0))
    print("\n".join(results))


start = time.perf_counter()
time.sleep(0)
asyncio.run(main())
print(f"elapsed {time.perf_counter() - start:.2f}s")
