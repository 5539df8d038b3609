// QuickJS with its std and os modules: arguments, stdin, environment and files.
const name = std.in.readAsString().trim() || "world";
console.log(`Hello, ${name}! Arguments: ${JSON.stringify(scriptArgs.slice(1))}`);
console.log("HOME is", std.getenv("HOME") ?? "(not granted)");

// Relative paths are in /workspace, which is kept from run to run in this sandbox.
const file = std.open("notes.txt", "a");
file.puts(`visited by ${name}\n`);
file.close();
console.log(std.loadFile("notes.txt").trim().split("\n").length, "line(s) in notes.txt");
