import { describe, expect, it } from "vitest";
import { parseRunOptions } from "../../cli/src/options.ts";

describe("playpen run options", () => {
  it("takes the language from the extension and passes guest flags through", () => {
    expect(parseRunOptions(["run", "--json", "script.py", "--verbose", "-x"])).toEqual({
      language: "python",
      timeoutMs: 10_000,
      json: true,
      policyFlags: {},
      toolFiles: {},
      env: {},
      secrets: [],
      failOnAlert: false,
      rawOutput: false,
      file: "script.py",
      args: ["--verbose", "-x"],
    });
  });

  it("reads --raw-output and --commit ask as playpen's own only before FILE", () => {
    expect(parseRunOptions(["run", "--raw-output", "--commit", "ask", "x.py", "--raw-output"])).toMatchObject({ rawOutput: true, commit: "ask", args: ["--raw-output"] });
    expect(parseRunOptions(["run", "x.py", "--raw-output"])).toMatchObject({ rawOutput: false, args: ["--raw-output"] });
  });

  it("reads --lang and --timeout, and - for stdin", () => {
    expect(parseRunOptions(["run", "--lang", "wasm", "--timeout", "500", "-"])).toMatchObject({
      language: "wasm",
      timeoutMs: 500,
      file: "-",
    });
  });

  it("reads --env in order (values may be empty or hold =) and --cwd as a canonical guest folder", () => {
    expect(parseRunOptions(["run", "--env", "B=2", "--env=A=x=y", "--env", "E=", "--cwd", "/workspace//src/./", "m.wasm"])).toMatchObject({
      env: { B: "2", A: "x=y", E: "" },
      cwd: "/workspace/src",
      file: "m.wasm",
    });
    expect(Object.keys(parseRunOptions(["run", "--env", "Z=1", "--env", "A=1", "m.wasm"]).env)).toEqual(["Z", "A"]);
  });

  it.each([
    [["run"], /missing FILE/],
    [["exec", "a.py"], /unknown command "exec"/],
    [["run", "notes.txt"], /cannot tell the language of "notes.txt"/],
    [["run", "--lang", "cobol", "a.py"], /unknown --lang "cobol"/],
    [["run", "--timeout", "soon", "a.py"], /--timeout takes a positive whole number/],
    [["run", "--engine", "docker", "a.py"], /unknown --engine "docker"/],
    [["run", "--allow-net=", "a.py"], /--allow-net: needs a value/],
    [["run", "--frobnicate", "a.py"], /frobnicate/],
    [["run", "--tool", "greet", "a.py"], /--tool takes NAME=FILE.js/],
  ])("rejects %j with a specific message", (argv, message) => {
    expect(() => parseRunOptions(argv)).toThrow(message);
  });
});
