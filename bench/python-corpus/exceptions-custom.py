class PolicyError(Exception):
    def __init__(self, rule): super().__init__(f"denied by {rule}"); self.rule = rule
try:
    raise PolicyError("files[0]")
except PolicyError as e:
    assert e.rule == "files[0]" and str(e) == "denied by files[0]"
try:
    1 / 0
except ZeroDivisionError as e:
    print(type(e).__name__)
