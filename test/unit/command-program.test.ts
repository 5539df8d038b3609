import { afterAll, describe, expect, it } from "vitest";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import type { Engine, EngineName } from "../../wasm-runtime/index.ts";

/** A runtime's command run by name, as the shell and compile-then-run use it, on both engines. */
describe.each<EngineName>(["wasmer", "gated"])("command programs on the %s engine", (name) => {
  const engine: Engine = createNodeEngine(name);
  afterAll(() => engine.close());

  it("runs a runtime's command with argv, in the working folder given", async () => {
    const sandbox = await engine.createSandbox({ files: { "sub/data.txt": "from a file\n" } });
    try {
      const code = "import os, sys; print(sys.argv[1:], os.getcwd(), open('data.txt').read().strip())";
      const result = await sandbox.run({
        program: { language: "command", runtime: "python", command: "python" },
        args: ["-c", code, "x", "y z"],
        cwd: "/workspace/sub",
      }).result;
      expect(result.stderr).toBe("");
      expect(result.stdout).toBe("['x', 'y z'] /workspace/sub from a file\n");
      expect(result.exitCode).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it("runs a script file from the workspace, and reports an unknown runtime as an error", async () => {
    const sandbox = await engine.createSandbox({ files: { "tool.py": "import sys\nprint('tool', sys.argv[1])\nsys.exit(3)\n" } });
    try {
      const ran = await sandbox.run({ program: { language: "command", runtime: "python", command: "python" }, args: ["/workspace/tool.py", "go"] }).result;
      expect(ran.stdout).toBe("tool go\n");
      expect(ran.exitCode).toBe(3);
      const missing = await sandbox.run({ program: { language: "command", runtime: "no-such-runtime", command: "x" } }).result;
      expect(missing.reason).toBe("error");
      expect(missing.error).toMatch(/no-such-runtime/);
    } finally {
      await sandbox.close();
    }
  });
});
