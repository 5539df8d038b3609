// An uncaught error: the stack names the file and line.
function parse(text) {
  return JSON.parse(text).items.length;
}

console.log(parse('{"items": [1, 2, 3]}'));
console.log(parse("{}"));
