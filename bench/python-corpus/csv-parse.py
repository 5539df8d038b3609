import csv, io
text = 'name,lang,ms\nhello,python,12\n"a, b",lua,3\n'
rows = list(csv.DictReader(io.StringIO(text)))
assert rows[1]["name"] == "a, b" and int(rows[0]["ms"]) == 12
print(sum(int(r["ms"]) for r in rows))
