# Host tools: the guest calls functions of the host through files under /host.
# Run it on the Gated engine. With the default policy every call is denied
# (see the Audit tab); grant them in the Policy tab, e.g.
#   "tools": [{"name": "kv"}, {"name": "lookup_weather"}]
import os
import playpen_tools as t

print("tools offered:", os.listdir("/host"))
for name, call in [
    ("kv", lambda: (t.kv_set("greeting", "hello"), t.kv_get("greeting"))[1]),
    ("lookup_weather", lambda: t.call("lookup_weather", city="Lisbon")),
]:
    try:
        print(name, "→", call())
    except t.ToolError as refused:
        print(name, "refused:", refused)
