import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import type { AuditEvent, Engine, RunRequest, Sandbox } from "../../wasm-runtime/index.ts";
import { DEFAULT_POLICY, PRESETS } from "../../wasm-runtime/policy/index.ts";
import { Shell } from "../../wasm-runtime/shell/index.ts";

/**
 * Bypass #3 of issue 12: the shell checked one path and acted on another
 * (the check on the written path, the host-side write following the link).
 * Now it resolves once, decides the resolved path and acts on it only.
 */

const OPEN = PRESETS.find((p) => p.id === "open")!.policy;
const THE_ISSUES_SCRIPT = "ln -s /outside.txt /workspace/l; echo x > /workspace/l; cat < /workspace/l";

const denials = (audit: AuditEvent[] = []) => audit.filter((e) => e.decision === "deny").map((e) => `${e.syscall} ${e.resource}`);

describe("the shell on the gated engine: one check, one act", () => {
  let engine: Engine;
  let sandbox: Sandbox;
  const text = async (path: string) => new TextDecoder().decode(await sandbox.readFile(path));
  const sh = (code: string, extra: Partial<RunRequest> = {}) =>
    new Shell(sandbox).run({ program: { language: "shell", code }, policy: DEFAULT_POLICY, timeoutMs: 30_000, ...extra }).result;

  beforeAll(async () => {
    engine = createNodeEngine("gated");
    sandbox = await engine.createSandbox({ files: { "/outside.txt": "host file\n", "/secret-dir/key.txt": "k\n", "a.txt": "A\n", "notes.txt": "N\n" } });
  });
  afterAll(async () => {
    await sandbox.close();
    await engine.close();
  });

  it("the issue's script: the link to the denied file cannot even be made, and /outside.txt is untouched", async () => {
    const result = await sh(THE_ISSUES_SCRIPT);
    expect(result.stderr).toMatch(/ln: .*Permission denied/);
    expect(denials(result.audit)).toContain("path_symlink /outside.txt");
    // The redirection then made a plain file of its own.
    expect(result.stdout).toBe("x\n");
    expect(await text("/outside.txt")).toBe("host file\n");
  });

  describe("through links made earlier (under the Open policy, as a terminal's earlier command could)", () => {
    beforeAll(async () => {
      const made = await sh("rm -f /workspace/l; ln -s /outside.txt /workspace/l; ln -s /secret-dir /workspace/d", { policy: OPEN });
      expect(made.exitCode).toBe(0);
      expect(await sandbox.realPath("/workspace/l")).toBe("/outside.txt");
    });

    it("`echo x > l` and `cat < l` are decided on /outside.txt, refused and audited", async () => {
      const result = await sh("echo x > /workspace/l; cat < /workspace/l; echo done");
      // Each refusal says what decided it and how to allow it (policy/denial.ts).
      expect(result.stderr).toMatch(/^sh: \/workspace\/l: Permission denied by .*--allow-write=\/outside\.txt.*\nsh: \/workspace\/l: Permission denied by .*--allow-read=\/outside\.txt.*\n$/);
      expect(result.stdout).toBe("done\n");
      expect(denials(result.audit)).toEqual(["shell > /outside.txt", "shell < /outside.txt"]);
      expect(await text("/outside.txt")).toBe("host file\n");
    });

    it("as they are for Python", async () => {
      const result = await sandbox.run({ program: { language: "python", code: "open('/workspace/l', 'w').write('x')" }, policy: DEFAULT_POLICY }).result;
      expect(result.stderr).toMatch(/PermissionError/);
      expect(denials(result.audit)).toContain("path_open /outside.txt");
    });

    it("globbing and `test` through a folder link are decided on the folder it leads to", async () => {
      const result = await sh("echo /workspace/d/*; test -e /workspace/d/key.txt; echo $?");
      expect(result.stdout).not.toContain("key.txt");
      expect(denials(result.audit)).toEqual(["shell glob /secret-dir", "shell test /secret-dir/key.txt"]);
    });

    it("an allowed link is followed to the path that was decided", async () => {
      const result = await sh("ln -s a.txt /workspace/al; echo more >> /workspace/al; cat < /workspace/al");
      expect(result.stdout).toBe("A\nmore\n");
      expect(result.audit?.filter((e) => e.syscall === "shell >>").map((e) => e.resource)).toEqual(["/workspace/a.txt"]);
    });

    it("the runner's own script write replaces a link an earlier run left in the script's place", async () => {
      const swap = "import os\nos.remove('/workspace/main.py')\nos.symlink('/workspace/notes.txt', '/workspace/main.py')";
      expect((await sandbox.run({ program: { language: "python", code: swap }, policy: OPEN }).result).exitCode).toBe(0);
      const next = await sandbox.run({ program: { language: "python", code: "print('ran')" }, policy: DEFAULT_POLICY }).result;
      expect(next.stdout).toBe("ran\n");
      expect(await text("/workspace/notes.txt")).toBe("N\n");
    });

    it("the host API never follows a symlink itself: what was not decided is not touched", async () => {
      await expect(sandbox.writeFile("/workspace/l", "x")).rejects.toThrow(/ELOOP/);
      await expect(sandbox.readFile("/workspace/l")).rejects.toThrow(/ELOOP/);
      await expect(sandbox.list("/workspace/d")).rejects.toThrow(/ELOOP/);
      expect(await text("/outside.txt")).toBe("host file\n");
    });
  });
});

describe("the shell on the wasmer engine", () => {
  it("the issue's script: the SDK never follows the guest's link, so nothing is written through it", async () => {
    const engine = createNodeEngine("wasmer");
    const sandbox = await engine.createSandbox({ files: { "a.txt": "A\n" } });
    try {
      const result = await new Shell(sandbox).run({ program: { language: "shell", code: THE_ISSUES_SCRIPT }, policy: DEFAULT_POLICY, timeoutMs: 30_000 }).result;
      // @wasmer/sdk has no /outside.txt (its filesystem ends at /workspace) and its file calls fail on a symlink.
      expect(result.stderr).toContain("/workspace/l: cannot write");
      expect(result.stdout).toBe("");
      await expect(sandbox.readFile("/outside.txt")).rejects.toThrow();
    } finally {
      await sandbox.close();
      await Promise.race([engine.close(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
  });
});
