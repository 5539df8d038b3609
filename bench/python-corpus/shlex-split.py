import shlex
argv = shlex.split('run --allow-net="127.0.0.1:8080" "my file.py" arg')
assert argv == ["run", "--allow-net=127.0.0.1:8080", "my file.py", "arg"]
print(shlex.join(["echo", "hello world"]))
