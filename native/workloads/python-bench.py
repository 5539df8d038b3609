# Python workload: the same script natively (Debian's python3.11, no site, isolated)
# and in the WebAssembly sandbox (CPython 3.12 for WASI). Pure interpreter work:
# a dict-heavy word count and an integer loop, with only built-in modules.
# No blank lines or indented blocks: the Chromium runner types it into the page's editor.
import time
t0 = time.perf_counter()
counts = {}
words = ["w" + str(i % 997) for i in range(60000)]
for word in words: counts[word] = counts.get(word, 0) + 1
total = 0
for i in range(300000): total = (total + i * i) % 1000003
elapsed = (time.perf_counter() - t0) * 1000
print("words:", len(counts))
print("total:", total)
print("elapsed_ms: %.1f" % elapsed)
