from graphlib import TopologicalSorter
deps = {"run": {"compile"}, "compile": {"fetch"}, "fetch": set(), "report": {"run"}}
order = list(TopologicalSorter(deps).static_order())
assert order.index("fetch") < order.index("compile") < order.index("run") < order.index("report")
print(order)
