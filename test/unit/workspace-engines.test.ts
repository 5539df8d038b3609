import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import type { Engine, Sandbox } from "../../wasm-runtime/index.ts";
import { DEFAULT_POLICY } from "../../wasm-runtime/policy/index.ts";
import type { RunRequest } from "../../wasm-runtime/types.ts";
import { diff, Workspace, type Mount, type WorkspaceSnapshot } from "../../wasm-runtime/workspace/index.ts";

const text = (snapshot: WorkspaceSnapshot | undefined, path: string) => {
  const entry = snapshot?.entries.get(path);
  return entry?.kind === "file" ? new TextDecoder().decode(entry.data) : undefined;
};

function startingWorkspace(): WorkspaceSnapshot {
  const ws = new Workspace();
  ws.writeFile("notes.txt", "first line\n");
  ws.writeFile("old/remove-me.txt", "bye");
  ws.writeFile("keep.bin", new Uint8Array([0, 1, 2, 3]));
  return ws.snapshot();
}

async function dataMount(path = "/data"): Promise<Mount> {
  const ws = new Workspace();
  for (const name of ["planets.csv", "elements.json"]) ws.writeFile(name, await readFile(new URL(`../../public/data/${name}`, import.meta.url)));
  return { path, files: ws.snapshot(), readOnly: true };
}

const EDIT = [
  "import os, shutil",
  "open('notes.txt', 'a').write('second line\\n')",
  "shutil.rmtree('old')",
  "os.makedirs('out', exist_ok=True)",
  "open('out/result.txt', 'w').write('42')",
].join("\n");

for (const name of ["gated", "wasmer"] as const) {
  describe(`the ${name} engine with a workspace`, () => {
    let engine: Engine;
    let sandbox: Sandbox;
    beforeAll(async () => {
      engine = createNodeEngine(name);
      await engine.prepare("python");
      sandbox = await engine.createSandbox();
    });
    afterAll(async () => {
      await sandbox.close();
      await engine.close();
    });
    const py = (code: string, extra: Partial<RunRequest> = {}) => sandbox.run({ program: { language: "python", code }, timeoutMs: 20_000, ...extra });

    it("starts from the given snapshot and hands back what the guest left", async () => {
      const before = startingWorkspace();
      const result = await py(EDIT, { workspace: before }).result;
      expect(result.stderr).toBe("");
      expect(result.reason).toBe("exited");
      const changes = diff(before, result.workspace!);
      expect(changes.entries.map((e) => [e.path, e.change])).toEqual([
        ["notes.txt", "modified"],
        ["old", "deleted"],
        ["old/remove-me.txt", "deleted"],
        ["out", "added"],
        ["out/result.txt", "added"],
      ]);
      expect(changes.entries[0]).toMatchObject({ before: { text: "first line\n" }, after: { text: "first line\nsecond line\n" } });
      // The program's own main.py is not a change the run made; an unchanged file keeps its bytes.
      expect(result.workspace!.entries.has("main.py")).toBe(false);
      expect(result.workspace!.entries.get("keep.bin")).toBe(before.entries.get("keep.bin"));
    });

    it("a later run starts from its own snapshot, not from what the last run left", async () => {
      const before = startingWorkspace();
      await py(EDIT, { workspace: before }).result;
      const result = await py("import os; print(sorted(os.listdir('.')), open('notes.txt').read())", { workspace: before }).result;
      expect(result.stdout).toBe("['keep.bin', 'main.py', 'notes.txt', 'old'] first line\n\n");
    });

    it("a run that is stopped mid-write hands back nothing: the snapshot stays the workspace", async () => {
      const before = startingWorkspace();
      const handle = py("import time\nopen('notes.txt', 'w').write('half')\nopen('new.txt', 'w').write('x')\nwhile True: time.sleep(0.01)", { workspace: before });
      await new Promise((r) => setTimeout(r, 1500));
      handle.stop();
      const result = await handle.result;
      expect(result.reason).toBe("stopped");
      expect(result.workspace).toBeUndefined();
      expect(text(before, "notes.txt")).toBe("first line\n");
      const next = await py("print(open('notes.txt').read(), end='')", { workspace: before }).result;
      expect(next.stdout).toBe("first line\n");
    });

    it("a run that times out or crashes hands back nothing either", async () => {
      const before = startingWorkspace();
      const timedOut = await py("open('notes.txt', 'w').write('half')\nwhile True: pass", { workspace: before, timeoutMs: 1500 }).result;
      expect([timedOut.reason, timedOut.workspace]).toEqual(["timeout", undefined]);
    });

    it("mounts data sets read-only at /data: readable, not writable, whatever the default policy", async () => {
      const code = [
        "import csv, errno",
        "rows = list(csv.DictReader(open('/data/planets.csv')))",
        "print(len(rows), rows[2]['name'])",
        "try:",
        "    open('/data/planets.csv', 'w').write('overwritten')",
        "    print('write ok')",
        "except OSError as e:",
        "    print('refused', errno.errorcode[e.errno])",
      ].join("\n");
      const mount = await dataMount();
      const result = await py(code, { workspace: startingWorkspace(), mounts: [mount] }).result;
      if (name === "gated") {
        // The host says on stderr what denied it and how to allow it (policy/denial.ts).
        expect(result.stderr).toMatch(/^playpen: denied write \/data\/planets\.csv by /);
        // The mount grants read only, so the policy refuses first; the VFS behind it would say EROFS.
        expect(result.stdout).toBe("8 Earth\nrefused EACCES\n");
      } else {
        expect(result.stderr).toBe("");
        // @wasmer/sdk cannot refuse it: the write lands in the process's own copy, dropped when it ends.
        expect(result.stdout).toBe("8 Earth\nwrite ok\n");
      }
      expect(result.mounts).toEqual([mount.files]);
      const again = await py("print(open('/data/planets.csv').read().splitlines()[0])", { mounts: [mount] }).result;
      expect(again.stdout).toBe("name,mean_radius_km,semi_major_axis_au,orbital_period_days,known_moons\n");
    });

    it("a read-only mount inside /workspace is never changed by a run", async () => {
      const mount = await dataMount("/workspace/data");
      const result = await py("open('data/elements.json', 'w').write('[]')", { workspace: startingWorkspace(), mounts: [mount] }).result;
      if (name === "gated") {
        expect(result.stderr).toMatch(/OSError: \[Errno \d+\] Read-only file system: 'data\/elements.json'/);
      } else {
        expect(result.discardedWrites).toEqual(["/workspace/data/elements.json"]);
      }
      expect(text(result.mounts?.[0] ?? mount.files, "elements.json")).toContain("Hydrogen");
      const again = await py("print(open('data/elements.json').read()[:1])", { workspace: startingWorkspace(), mounts: [mount] }).result;
      expect(again.stdout).toBe("[\n");
    });

    it("enforces the workspace quota", async () => {
      const policy = { ...DEFAULT_POLICY, limits: { ...DEFAULT_POLICY.limits, workspaceBytes: 64 * 1024 } };
      const code = "import errno\ntry:\n    open('big.bin', 'wb').write(b'x' * 100_000)\n    print('written')\nexcept OSError as e:\n    print('refused', errno.errorcode[e.errno])";
      const result = await py(code, { workspace: startingWorkspace(), policy }).result;
      if (name === "gated") {
        expect(result.stdout).toBe("refused ENOSPC\n");
        expect(result.workspace!.entries.get("big.bin")).toMatchObject({ kind: "file" });
      } else {
        expect(result.reason).toBe("error");
        // Caught while the guest runs (the host polls /workspace) or, for a guest quicker than the poll, after it.
        expect(result.error).toMatch(/^workspace quota exceeded(: the run left| during the run: \/workspace held) \d+ bytes.*, 65536 allowed;.* changes (were )?discarded/);
        expect(result.workspace).toBeUndefined();
      }
    });
  });
}

describe("mounts the wasmer engine cannot give", () => {
  it("refuses a writable mount outside /workspace, saying why", async () => {
    const engine = createNodeEngine("wasmer");
    const sandbox = await engine.createSandbox();
    try {
      const mount = { ...(await dataMount("/scratch")), readOnly: false };
      const result = await sandbox.run({ program: { language: "python", code: "print(1)" }, mounts: [mount] }).result;
      expect(result.reason).toBe("error");
      expect(result.error).toMatch(/outside \/workspace only read-only .*mount \/scratch below \/workspace/);
    } finally {
      await sandbox.close();
      await engine.close();
    }
  });
});
