"""A few seconds of the standard library at work: JSON, pickle, regular
expressions, zlib, hashing, sqlite3, decimals and fractions, difflib, csv, XML,
heapq, itertools. Enough to make the browser optimise much of the interpreter;
each round says so as it ends, so the run shows its progress."""
import base64, bisect, collections, csv, datetime, decimal, difflib, fractions, hashlib, heapq, html, io, itertools, json, pickle, random, re, sqlite3, statistics, string, struct, textwrap, urllib.parse
import xml.etree.ElementTree as ET
import zlib

ROUNDS = 6
for round_ in range(1, ROUNDS + 1):
    rows = [{"i": i, "s": str(i) * 3, "f": i / 7} for i in range(3000)]
    text = json.dumps(rows)
    json.loads(text)
    pickle.loads(pickle.dumps(rows))
    re.findall(r"\d+", text)
    re.sub(r"(\d)(\d)", r"\2\1", text[:20000])
    zlib.decompress(zlib.compress(text.encode()))
    hashlib.sha256(text.encode()).hexdigest()
    base64.b64decode(base64.b64encode(text.encode()))
    db = sqlite3.connect(":memory:")
    db.execute("create table t(a, b)")
    db.executemany("insert into t values (?, ?)", [(i, str(i)) for i in range(2000)])
    db.execute("select b, sum(a) from t group by a % 10 order by b").fetchall()
    statistics.mean(random.random() for _ in range(2000))
    sum(fractions.Fraction(i, 7) for i in range(300))
    sum(decimal.Decimal(i) / 7 for i in range(300))
    list(difflib.unified_diff(textwrap.wrap(text[:3000]), textwrap.wrap(text[10:3010])))
    out = io.StringIO()
    csv.writer(out).writerows([r.values() for r in rows[:500]])
    list(csv.reader(io.StringIO(out.getvalue())))
    root = ET.fromstring("<r>" + "".join(f"<i n='{i}'>{html.escape(str(i))}</i>" for i in range(500)) + "</r>")
    ET.tostring(root)
    urllib.parse.urlencode({"q": text[:200]})
    string.Template("$a-$b").substitute(a=1, b=2)
    struct.unpack("<100i", struct.pack("<100i", *range(100)))
    heapq.nlargest(10, range(5000))
    bisect.insort(sorted(range(1000)), 500)
    collections.Counter(text[:5000]).most_common(5)
    list(itertools.islice(itertools.permutations(range(8)), 2000))
    datetime.datetime(2020, 1, 1) + datetime.timedelta(days=400)
    print(f"round {round_} of {ROUNDS}", flush=True)
print("done")
