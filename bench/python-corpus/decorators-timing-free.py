import functools
calls = []
def logged(f):
    @functools.wraps(f)
    def wrapper(*a):
        calls.append(f.__name__); return f(*a)
    return wrapper
@logged
def add(a, b): return a + b
assert add(1, 2) == 3 and calls == ["add"] and add.__name__ == "add"
print(calls)
