import re
def snake(s): return re.sub(r"(?<!^)(?=[A-Z])", "_", s).lower()
def camel(s): return s.split("_")[0] + "".join(w.title() for w in s.split("_")[1:])
assert snake("runSupervisorNow") == "run_supervisor_now"
assert camel("run_supervisor_now") == "runSupervisorNow"
print(snake("HTTPServer"))
