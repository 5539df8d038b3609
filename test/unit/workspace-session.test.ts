import { afterAll, describe, expect, it } from "vitest";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import type { Engine, EngineName, RunRequest } from "../../wasm-runtime/index.ts";
import { runProgram } from "../../wasm-runtime/shell/index.ts";
import { Workspace, type WorkspaceSnapshot } from "../../wasm-runtime/workspace/index.ts";

function snapshotOf(files: Record<string, string>): WorkspaceSnapshot {
  const ws = new Workspace();
  for (const [path, text] of Object.entries(files)) ws.writeFile(path, text);
  return ws.snapshot();
}

const text = (snapshot: WorkspaceSnapshot | undefined, path: string) => {
  const entry = snapshot?.entries.get(path);
  return entry?.kind === "file" ? new TextDecoder().decode(entry.data) : undefined;
};

/** A shell script is many runs; with a workspace it is still one run to the caller: one snapshot in, one out, or nothing. */
describe.each<EngineName>(["wasmer", "gated"])("a shell script over a workspace on the %s engine", (name) => {
  const engine: Engine = createNodeEngine(name);
  afterAll(() => Promise.race([engine.close(), new Promise((resolve) => setTimeout(resolve, 5_000))]));

  const sh = async (code: string, extra: Partial<RunRequest>) => {
    const sandbox = await engine.createSandbox();
    try {
      return await runProgram(sandbox, { program: { language: "shell", code }, timeoutMs: 30_000, ...extra }).result;
    } finally {
      await sandbox.close();
    }
  };

  it("threads the files through the shell's redirections and each command, and hands back the whole", async () => {
    const before = snapshotOf({ "in.txt": "seed\n", "gone.txt": "x" });
    const result = await sh(
      [
        "echo hello > a.txt",
        `python -c "print(open('a.txt').read().strip() + '+' + open('in.txt').read().strip())" > b.txt`,
        `python -c "import os; os.remove('gone.txt')"`,
        "echo more >> b.txt",
      ].join("\n"),
      { workspace: before },
    );
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(text(result.workspace, "a.txt")).toBe("hello\n");
    expect(text(result.workspace, "b.txt")).toBe("hello+seed\nmore\n");
    expect(result.workspace?.entries.has("gone.txt")).toBe(false);
    // The caller's snapshot is untouched.
    expect([...before.entries.keys()].sort()).toEqual(["gone.txt", "in.txt"]);
  });

  it("hands back nothing when the script is stopped by the time limit, whatever its commands had written", async () => {
    const before = snapshotOf({ "keep.txt": "k" });
    const result = await sh("echo half > half.txt\nwhile true; do :; done", { workspace: before, timeoutMs: 1_500 });
    expect(result.reason).toBe("timeout");
    expect(result.workspace).toBeUndefined();
  });

  it("reads a read-only mount and refuses the shell's own write into it", async () => {
    const data = snapshotOf({ "planets.csv": "name\nMars\n" });
    const result = await sh(
      `python -c "print(open('/data/planets.csv').read().splitlines()[1])" > mars.txt\necho x > /data/new.txt`,
      { workspace: snapshotOf({}), mounts: [{ path: "/data", files: data, readOnly: true }] },
    );
    expect(text(result.workspace, "mars.txt")).toBe("Mars\n");
    expect(result.stderr).toMatch(/\/data\/new\.txt/);
    expect(result.exitCode).not.toBe(0);
    expect(result.mounts?.[0]?.entries.has("new.txt")).toBe(false);
  });
});
