# The sandbox has a virtual filesystem; /workspace is yours (and the current folder).
from pathlib import Path

notes = Path("notes.txt")
notes.write_text("line one\nline two\n")
with notes.open("a") as f:
    f.write("line three\n")

print(notes.resolve(), "has", len(notes.read_text().splitlines()), "lines")
print("workspace:", sorted(p.name for p in Path("/workspace").iterdir()))
