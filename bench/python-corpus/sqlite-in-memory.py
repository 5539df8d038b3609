import sqlite3
db = sqlite3.connect(":memory:")
db.execute("create table runs (engine text, ms real)")
db.executemany("insert into runs values (?, ?)", [("gated", 12), ("wasmer", 10), ("gated", 14)])
(avg,) = db.execute("select avg(ms) from runs where engine = 'gated'").fetchone()
assert avg == 13
print(db.execute("select count(*) from runs").fetchone()[0])
