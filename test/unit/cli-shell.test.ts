import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const BIN = path.resolve("cli/bin/playpen.mjs");
const work = mkdtempSync(path.join(tmpdir(), "playpen-cli-shell-"));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI in process (no daemon), in a folder of its own. */
function playpen(args: string[], stdin = ""): Promise<Outcome> {
  const env = { ...process.env, PLAYPEN_NO_DAEMON: "1" };
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { env, cwd: work, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin);
  });
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

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
