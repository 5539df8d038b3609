/**
 * Python's subprocess, os.system, os.popen and os.kill on the gated engine:
 * commands run as nested runs in the same sandbox, under the same policy, time
 * limit and audit; the commands rules decide which may start.
 */
import { describe, expect, it } from "vitest";
import { parsePolicy, type CommandRule } from "../../wasm-runtime/policy/index.ts";
import { sandboxForFile } from "../support/node-engine.ts";

const sandboxOf = sandboxForFile("gated");

function py(code: string, commands?: CommandRule[], timeoutMs = 30_000) {
  const policy = parsePolicy({ version: 1, files: [{ path: "/workspace/**", access: "write" }], ...(commands && { commands }) });
  return sandboxOf().run({ program: { language: "python", code }, policy, timeoutMs }).result;
}

describe("subprocesses are nested runs in the same sandbox", () => {
  it('subprocess.run(["sh", "-c", "echo hi | wc -c"]) prints 3; os.system, os.popen, Popen with a pipe in; every start audited', async () => {
    const code = [
      "import os, subprocess",
      'subprocess.run(["sh", "-c", "echo hi | wc -c"])',
      'r = subprocess.run(["sh", "-c", "echo err >&2; exit 4"], capture_output=True, text=True)',
      "print(r.returncode, repr(r.stderr))",
      'print(os.system("echo from-system; exit 3") >> 8)',
      'print(os.popen("echo popen").read().strip())',
      'p = subprocess.Popen(["wc", "-c"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)',
      'print(p.communicate(b"12345")[0].strip(), p.returncode)',
    ].join("\n");
    const result = await py(code);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("3\n4 'err\\n'\nfrom-system\n3\npopen\nb'5' 0\n");
    const started = (result.audit ?? []).filter((e) => e.capability === "command").map((e) => `${e.decision} ${e.resource}`);
    expect(started.slice(0, 2)).toEqual(["allow sh", "allow wc"]);
    // sh -c twice, wc in the pipeline and from Popen; echo is the shell's own (a builtin, no process).
    expect(started.filter((s) => s === "allow sh").length).toBeGreaterThanOrEqual(2);
    expect(started.filter((s) => s === "allow wc")).toHaveLength(2);
  });

  it("a commands deny rule refuses the command (PermissionError naming the rule), audited; one inside sh -c is refused by the shell", async () => {
    const code = [
      "import subprocess",
      "try:",
      '    subprocess.run(["wc", "-c"])',
      "except PermissionError as e:",
      "    print('refused:', e)",
      'r = subprocess.run(["sh", "-c", "echo hi | wc -c"], capture_output=True, text=True)',
      "print(r.returncode, r.stderr.strip())",
    ].join("\n");
    const result = await py(code, [{ name: "*" }, { name: "wc", decision: "deny" }]);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^refused: .*wc: Permission denied by commands\[1\] "wc" \(deny\)/);
    expect(lines[1]).toMatch(/^126 sh: wc: Permission denied by commands\[1\]/);
    const denied = (result.audit ?? []).filter((e) => e.capability === "command" && e.decision === "deny");
    expect(denied.map((e) => e.resource)).toEqual(["wc", "wc"]);
    expect(denied[0]!.fix?.remove).toBe('commands[1] "wc" (deny)');
  });

  it("a command that is not in the sandbox is FileNotFoundError, audited; os.kill is an audited denial", async () => {
    const code = [
      "import os, subprocess",
      "try:",
      '    subprocess.run(["curl", "http://x"])',
      "except FileNotFoundError as e:",
      "    print('missing:', e.filename)",
      "try:",
      "    os.kill(1, 9)",
      "except PermissionError as e:",
      "    print('kill:', e)",
    ].join("\n");
    const result = await py(code);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe("missing: curl");
    expect(lines[1]).toMatch(/^kill: .*denied command kill by process control/);
    const events = (result.audit ?? []).filter((e) => e.capability === "command");
    expect(events.map((e) => `${e.decision} ${e.resource} ${e.rule}`)).toEqual(["deny curl command not found", "deny kill process control (not available in the sandbox)"]);
  });

  it("a runaway child is stopped by the parent's time limit", async () => {
    const started = performance.now();
    const result = await py('import subprocess\nsubprocess.run(["python", "-c", "while True: pass"])\nprint("never")', undefined, 4000);
    expect(result.reason).toBe("timeout");
    expect(result.stdout).toBe("");
    expect(performance.now() - started).toBeLessThan(15_000);
    // The sandbox is free again: the child did not outlive its parent.
    const next = await py('import subprocess\nsubprocess.run(["sh", "-c", "echo ok"])');
    expect(next.stdout).toBe("ok\n");
  });
});
