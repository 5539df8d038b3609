from string import Template
t = Template("run $lang in $engine")
assert t.substitute(lang="python", engine="gated") == "run python in gated"
print(t.safe_substitute(lang="lua"))
