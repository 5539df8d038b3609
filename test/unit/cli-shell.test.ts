import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPlaypen, scratch, type CliOutcome } from "../support/cli.ts";

const scratchDir = scratch("cli-shell");
const { dir: work, daemonDir } = scratchDir;

/** Through a warm daemon of this file's own. */
function playpen(args: string[], stdin = ""): Promise<CliOutcome> {
  return runPlaypen(args, { cwd: work, daemonDir, stdin });
}

afterAll(() => scratchDir.remove());

describe("playpen run with shell scripts", () => {
  it("runs a .sh file through the shell: a pipeline, arguments, the last command's exit status", async () => {
    const script = path.join(work, "count.sh");
    writeFileSync(script, 'printf "b\\na\\nb\\n" | sort | uniq -c\necho "args: $# $1"\ntest -f nowhere\n');
    const result = await playpen(["run", script, "first", "second"]);
    expect(result).toEqual({ code: 1, stdout: "      1 a\n      2 b\nargs: 2 first\n", stderr: "" });
  });

  it("takes --lang shell for a program from stdin, and reports it in --json on both engines", async () => {
    for (const engine of ["wasmer", "gated"]) {
      const { code, stdout } = await playpen(["run", "--json", "--engine", engine, "--lang", "shell", "-"], "echo hi | wc -c; ls /no-such-folder");
      const result = JSON.parse(stdout) as { exitCode: number; reason: string; stdout: string; stderr: string };
      expect(code, engine).toBe(result.exitCode);
      expect(result, engine).toMatchObject({ reason: "exited", stdout: "3\n" });
      expect(result.exitCode, engine).not.toBe(0);
      expect(result.stderr, engine).toMatch(/no-such-folder/);
    }
  });

  it("an example script of the page runs from the CLI as well", async () => {
    const source = readFileSync(path.resolve("examples/sh/loop.sh"), "utf8");
    const script = path.join(work, "loop.sh");
    writeFileSync(script, source);
    const result = await playpen(["run", script]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("made 3 files\n");
    expect(result.stdout).toContain("alpha.item: 6 bytes\n");
  });

  it("a shell syntax error is exit status 2 with the parser's message", async () => {
    const result = await playpen(["run", "--lang", "shell", "-"], "if true; then echo x\n");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^sh: syntax error/);
  });
});
