import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCommand } from "../../cli/src/run-command.ts";
import { visibleText } from "../../cli/src/visible-text.ts";
import { nodeEngines } from "../../cli/src/node-engine.ts";

/**
 * Issue 13, finding 6: a terminal shows only text. Guest output that reaches a
 * terminal has its control characters made visible (--raw-output passes them),
 * and a prompt is drawn after the guest's output, on a line of its own. The
 * decision is tested at its seam (CommandIo.terminal), then once for real on a
 * pseudo-terminal (util-linux `script`).
 */

const BIN = path.resolve("cli/bin/playpen.mjs");
const work = mkdtempSync(path.join(tmpdir(), "playpen-terminal-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Clears the screen, sets the window title, moves the cursor home and draws a fake prompt over the line. */
const HOSTILE = "import sys\nsys.stdout.write('\\x1b[2J\\x1b]0;pwned\\x07\\x1b[H\\rok\\tdone\\n\\x9b31m')\nsys.stderr.write('\\x1b[1A\\x08Password: ')\n";

async function run(argv: string[], terminal: { stdout: boolean; stderr: boolean } | undefined) {
  const out = { stdout: "", stderr: "" };
  const io = { cwd: work, stdin: new TextEncoder().encode(HOSTILE), write: (stream: "stdout" | "stderr", text: string) => (out[stream] += text), ...(terminal && { terminal }) };
  const code = await runCommand(["run", "--engine", "gated", "--timeout", "120000", ...argv, "-"], io, nodeEngines());
  return { code, ...out };
}

describe("visibleText", () => {
  it("shows every control character but newline and tab, each on its own", () => {
    expect(visibleText("a\x1b[2Jb\x07c\rd\te\nf\x00\x7f\x9b\u0085")).toBe("a^[[2Jb^Gc^Md\te\nf^@^?\\u009b\\u0085");
    // Split anywhere, the same text.
    const text = "x\x1b]0;t\x07y";
    for (let i = 0; i <= text.length; i++) expect(visibleText(text.slice(0, i)) + visibleText(text.slice(i))).toBe(visibleText(text));
    expect(visibleText("plain ünïcode ✓\n")).toBe("plain ünïcode ✓\n");
  });
});

describe("guest output on a terminal", () => {
  it("is made visible on the streams that are terminals", async () => {
    const { code, stdout, stderr } = await run([], { stdout: true, stderr: true });
    expect(code).toBe(0);
    expect(stdout).toBe("^[[2J^[]0;pwned^G^[[H^Mok\tdone\n\\u009b31m");
    expect(stderr).toBe("^[[1A^HPassword: ");
  }, 120_000);

  it("passes as it is where a stream is not a terminal, and with --raw-output", async () => {
    const piped = await run([], { stdout: false, stderr: true });
    expect(piped.stdout).toBe("\x1b[2J\x1b]0;pwned\x07\x1b[H\rok\tdone\n\x9b31m");
    expect(piped.stderr).toBe("^[[1A^HPassword: ");
    const raw = await run(["--raw-output"], { stdout: true, stderr: true });
    expect(raw.stdout).toBe("\x1b[2J\x1b]0;pwned\x07\x1b[H\rok\tdone\n\x9b31m");
    expect(raw.stderr).toBe("\x1b[1A\bPassword: ");
  }, 120_000);
});

describe("on a real pseudo-terminal (script from util-linux)", () => {
  it("shows the guest's escapes as text, and asks --commit ask after its output, on a line of its own", async () => {
    const dir = path.join(work, "repo");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "a.txt"), "old\n");
    const program = path.join(work, "mid-line.py");
    // Ends mid-line, on stdout: a prompt drawn at once would follow "almost done" on the same line.
    writeFileSync(program, "import sys\nopen('/data/a.txt', 'w').write('new\\n')\nsys.stdout.write('\\x1b]0;pwned\\x07\\x1b[2Jalmost done')\n");
    const command = [process.execPath, BIN, "run", "--commit", "ask", "--mount", `${dir}:/data`, program].map((arg) => `'${arg}'`).join(" ");
    const env = { ...process.env, PLAYPEN_DAEMON_DIR: path.join(work, "daemon"), PLAYPEN_NO_DAEMON: "" };
    const screen = await new Promise<string>((resolve) => {
      const child = execFile("script", ["-q", "-e", "-c", command, "/dev/null"], { env, cwd: work, timeout: 180_000 }, (_error, stdout) => resolve(stdout));
      // Typed ahead: the terminal holds it until the prompt reads it.
      child.stdin!.end("y\n");
    });
    expect(screen).not.toContain("\x1b]0;pwned");
    expect(screen).not.toContain("\x1b[2J");
    // The list and the question start on a line of their own (readline may draw its own cursor moves before the question).
    expect(screen).toContain("^[]0;pwned^G^[[2Jalmost done\r\nplaypen: the run changed 1 path(s) in /data, to go back to");
    // eslint-disable-next-line no-control-regex -- readline's own cursor moves
    expect(screen).toMatch(/playpen: {3}modified a\.txt\r\n(\x1b\[[0-9;]*[A-Za-z])*playpen: write these changes back\? \[y\/N\] /);
    expect(readFileSync(path.join(dir, "a.txt"), "utf8")).toBe("new\n");
  }, 200_000);
});
