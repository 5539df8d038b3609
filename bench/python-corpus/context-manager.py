from contextlib import contextmanager
log = []
@contextmanager
def step(name):
    log.append("enter " + name)
    try: yield
    finally: log.append("exit " + name)
with step("a"):
    with step("b"): pass
assert log == ["enter a", "enter b", "exit b", "exit a"]
print(len(log))
