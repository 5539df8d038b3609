import os
home = os.environ.get("PLAYPEN_CORPUS_NOT_SET", "default")
assert home == "default"
print(os.sep, os.path.join("a", "b"))
