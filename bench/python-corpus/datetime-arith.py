from datetime import date, timedelta
d = date(2026, 12, 8)
assert (d + timedelta(days=30)).isoformat() == "2027-01-07"
assert d.weekday() == 1
print((date(2027, 1, 1) - d).days)
