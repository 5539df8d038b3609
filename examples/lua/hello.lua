-- Lua 5.4: arguments, stdin, environment, files, pcall and coroutines.
local name = io.read("l") or "world"
print(("Hello, %s! Arguments: %s"):format(name, table.concat(arg, " ")))
print("HOME is", os.getenv("HOME") or "(not granted)")

local file = assert(io.open("notes.txt", "a"))
file:write("visited by ", name, "\n")
file:close()

print(pcall(error, "errors can be caught"))

local squares = coroutine.wrap(function()
  for i = 1, 5 do coroutine.yield(i * i) end
end)
print("squares:", squares(), squares(), squares(), squares(), squares())
