# A runaway guest: it never ends. Press Stop (or wait for the time limit);
# the page stays responsive because the guest runs in a worker.
n = 0
while True:
    n += 1
    if n % 5_000_000 == 0:
        print("still running…", n)
