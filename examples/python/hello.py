# Runs inside CPython compiled to WebAssembly, in a Web Worker.
import sys
import platform

print("Hello from Python", platform.python_version(), "on", sys.platform)
print("arguments:", sys.argv[1:])
name = sys.stdin.readline().strip() or "stranger"
print(f"Nice to meet you, {name}!")
