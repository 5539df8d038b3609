import sys
assert isinstance(sys.argv, list) and sys.argv[0].endswith(".py")
assert sys.version_info >= (3, 11)
try:
    sys.exit(0)
except SystemExit as e:
    assert e.code == 0
print(sys.byteorder)
