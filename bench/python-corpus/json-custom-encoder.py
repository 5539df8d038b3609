import json
from datetime import date
class Enc(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, date): return o.isoformat()
        return super().default(o)
s = json.dumps({"day": date(2026, 12, 8)}, cls=Enc)
assert s == '{"day": "2026-12-08"}'
print(s)
