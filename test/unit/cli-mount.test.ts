import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPlaypen, type CliOutcome } from "../support/cli.ts";
import { HostMountError, readHostFolder, writeBack } from "../../cli/src/host-mount.ts";
import { parseRunOptions } from "../../cli/src/options.ts";
import type { MountReport } from "../../cli/src/run-mounts.ts";
import { DEFAULT_WORKSPACE_LIMITS, Workspace } from "../../wasm-runtime/workspace/index.ts";

const work = mkdtempSync(path.join(tmpdir(), "playpen-mount-"));
const daemonDir = path.join(work, "daemon");
let folders = 0;

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A fresh host folder holding `files` (path → text), with `outside.txt` beside it for symlinks to point at. */
function hostFolder(files: Record<string, string> = { "a.txt": "hello\n", "sub/b.txt": "old\n", "c.txt": "doomed\n" }): string {
  const dir = path.join(work, `host-${++folders}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Every file and folder under `dir`, with file contents: what a test compares before and after. */
function tree(dir: string): Record<string, string | null> {
  const entries: Record<string, string | null> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const relative = path.relative(dir, full);
    entries[relative] = entry.isFile() ? readFileSync(full, "utf8") : entry.isSymbolicLink() ? `-> ${path.basename(full)}` : null;
  }
  return entries;
}

function script(name: string, lines: string[]): string {
  const file = path.join(work, name);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

/** Through the warm daemon (cwd: the checkout) unless `inProcess`: the daemon is what agents use, and it is fast. */
function playpen(args: string[], options: { inProcess?: boolean } = {}): Promise<CliOutcome> {
  // In process, the run's time limit also covers compiling CPython: room for a loaded machine.
  const withRoom = options.inProcess && args[0] === "run" ? ["run", "--timeout", "60000", ...args.slice(1)] : args;
  return runPlaypen(withRoom, { cwd: work, daemonDir, ...options });
}

function jsonOf(outcome: CliOutcome): { exitCode: number; reason: string; stdout: string; error?: string; mounts: MountReport[] } {
  return JSON.parse(outcome.stdout) as ReturnType<typeof jsonOf>;
}

/** Adds new.txt and d/, modifies sub/b.txt, deletes c.txt in the mount at MOUNT, then exits with argv[1]. */
const editor = (mount: string) =>
  script(`edit-${mount.replaceAll("/", "_")}.py`, [
    "import os, sys",
    `m = '${mount}'`,
    "print(open(m + '/a.txt').read().strip(), sorted(os.listdir(m)))",
    "open(m + '/new.txt', 'w').write('new')",
    "open(m + '/sub/b.txt', 'w').write('changed')",
    "os.remove(m + '/c.txt')",
    "os.mkdir(m + '/d')",
    "sys.exit(int(sys.argv[1]))",
  ]);

const EDITED = { "a.txt": "hello\n", "new.txt": "new", sub: null, "sub/b.txt": "changed", d: null };
/** What editor() changed, listed on stderr before it is written back. */
const EDIT_LISTING = (dir: string) =>
  `playpen: the run changed 4 path(s) in /data, to go back to ${dir}:\nplaypen:   deleted  c.txt\nplaypen:   added    d/\nplaypen:   added    new.txt\nplaypen:   modified sub/b.txt\n`;
const EDIT_CHANGES = [
  { path: "c.txt", change: "deleted" },
  { path: "d", change: "added" },
  { path: "new.txt", change: "added" },
  { path: "sub/b.txt", change: "modified" },
];
const UNEDITED = { "a.txt": "hello\n", sub: null, "sub/b.txt": "old\n", "c.txt": "doomed\n" };

describe("--mount and --commit options", () => {
  it("reads HOSTDIR:GUESTDIR[:ro] (repeatable) and --commit", () => {
    expect(parseRunOptions(["run", "--mount", "in:/data:ro", "--mount=a:b:/workspace//out/", "--commit", "never", "x.py"])).toMatchObject({
      mounts: [
        { host: "in", guest: "/data", readOnly: true },
        { host: "a:b", guest: "/workspace/out", readOnly: false },
      ],
      commit: "never",
    });
  });

  it.each([
    [["--mount", "data", "x.py"], /--mount takes HOSTDIR:GUESTDIR\[:ro\], not "data"/],
    [["--mount", ":/data", "x.py"], /HOSTDIR is missing/],
    [["--mount", "in:data", "x.py"], /mount point must be an absolute guest path: data/],
    [["--mount", "in:/", "--mount", "b:/data", "x.wasm"], /--mount: \/data overlaps \//],
    [["--mount", "in:/workspace", "x.py"], /cannot mount over \/workspace/],
    [["--mount", "in:/data/../etc", "x.py"], /may not contain "\.\."/],
    [["--mount", "in:/data:rw", "x.py"], /unknown option ":rw" \(only :ro\)/],
    [["--mount", "a:/data", "--mount", "b:/data/more", "x.py"], /\/data\/more overlaps \/data/],
    [["--commit", "sometimes", "x.py"], /unknown --commit "sometimes": expected always, never or ask/],
  ])("rejects %j with a specific message", (argv, message) => {
    expect(() => parseRunOptions(["run", ...argv])).toThrow(message);
  });
});

describe("reading a host folder and writing changes back", () => {
  const limits = DEFAULT_WORKSPACE_LIMITS;

  it("skips symlinks and special files instead of following them", async () => {
    const dir = hostFolder({ "a.txt": "a" });
    symlinkSync(path.join(work, "outside.txt"), path.join(dir, "link"));
    symlinkSync("/etc", path.join(dir, "etc"));
    execFileSync("mkfifo", [path.join(dir, "pipe")]);
    const { files, skipped } = await readHostFolder(dir, limits);
    expect([...files.entries.keys()]).toEqual(["a.txt"]);
    expect(skipped).toEqual([
      { path: "etc", why: "a symlink (not followed)" },
      { path: "link", why: "a symlink (not followed)" },
      { path: "pipe", why: "a special file" },
    ]);
  });

  it("refuses a folder over the quota before reading the file that breaks it", async () => {
    const dir = hostFolder({ "a.bin": "x".repeat(600), "b.bin": "y".repeat(600) });
    await expect(readHostFolder(dir, { ...limits, bytes: 1000 })).rejects.toThrow("workspace quota exceeded: 1200 bytes of 1000 allowed (writing b.bin)");
  });

  it("refuses to write through a symlink that appeared in the host folder during the run", async () => {
    const dir = hostFolder({ "sub/b.txt": "old" });
    const elsewhere = hostFolder({ "b.txt": "not yours" });
    const { root, files } = await readHostFolder(dir, limits);
    const after = new Workspace(limits, files);
    after.writeFile("sub/b.txt", "changed");
    after.writeFile("sub/new.txt", "new");
    rmSync(path.join(dir, "sub"), { recursive: true });
    symlinkSync(elsewhere, path.join(dir, "sub"));
    await expect(writeBack(root, files, after.snapshot(), limits)).rejects.toThrow("nothing written back: sub/b.txt has a symlink on its way (sub, not followed)");
    expect(tree(elsewhere)).toEqual({ "b.txt": "not yours" });
  });

  it("refuses to overwrite a file changed on the host during the run, writing nothing", async () => {
    const dir = hostFolder({ "a.txt": "a", "b.txt": "b" });
    const { root, files } = await readHostFolder(dir, limits);
    const after = new Workspace(limits, files);
    after.writeFile("a.txt", "from the run");
    after.writeFile("b.txt", "from the run");
    writeFileSync(path.join(dir, "b.txt"), "from someone else");
    await expect(writeBack(root, files, after.snapshot(), limits)).rejects.toThrow("nothing written back: b.txt was changed on the host during the run");
    expect(tree(dir)).toEqual({ "a.txt": "a", "b.txt": "from someone else" });
  });

  it("refuses to delete a folder holding an entry the run did not see", async () => {
    const dir = hostFolder({ "old/a.txt": "a" });
    const { root, files } = await readHostFolder(dir, limits);
    const after = new Workspace(limits, files);
    after.remove("old");
    writeFileSync(path.join(dir, "old", "theirs.txt"), "keep me");
    await expect(writeBack(root, files, after.snapshot(), limits)).rejects.toThrow("nothing written back: old holds theirs.txt on the host, which the run did not see");
    expect(tree(dir)).toEqual({ old: null, "old/a.txt": "a", "old/theirs.txt": "keep me" });
  });

  it("refuses a path that climbs out of the folder", async () => {
    const dir = hostFolder({ "a.txt": "a" });
    const { root, files } = await readHostFolder(dir, limits);
    const escaping = { entries: new Map([...files.entries, ["../escaped.txt", { kind: "file" as const, data: new Uint8Array([1]), mtimeMs: 0 }]]), bytes: files.bytes + 1 };
    await expect(writeBack(root, files, escaping, limits)).rejects.toThrow(HostMountError);
    await expect(writeBack(root, files, escaping, limits)).rejects.toThrow("not canonical: ../escaped.txt");
    expect(existsSync(path.join(dir, "..", "escaped.txt"))).toBe(false);
  });
});

describe("playpen run --mount (gated engine, the default with a mount)", () => {
  it("lets the guest read and change a writable mount; exit 0 writes added, modified and deleted entries back", async () => {
    const dir = hostFolder();
    const outcome = await playpen(["run", "--mount", `${dir}:/data`, editor("/data"), "0"], { inProcess: true });
    expect(outcome).toMatchObject({ code: 0, stdout: "hello ['a.txt', 'c.txt', 'sub']\n" });
    expect(outcome.stderr).toBe(`${EDIT_LISTING(dir)}playpen: wrote /data back to ${dir}: 2 added, 1 modified, 1 deleted\n`);
    expect(tree(dir)).toEqual(EDITED);
  });

  it("reaches a shell script's commands and its own redirections, and writes the result back after exit 0", async () => {
    const dir = hostFolder();
    const sh = script("edit-mount.sh", [
      "echo added > /data/from-shell.txt",
      `python -c "import os; os.remove('/data/c.txt'); print(open('/data/from-shell.txt').read().strip())"`,
    ]);
    const outcome = await playpen(["run", "--mount", `${dir}:/data`, sh], { inProcess: true });
    expect(outcome).toMatchObject({ code: 0, stdout: "added\n" });
    expect(tree(dir)).toEqual({ "a.txt": "hello\n", sub: null, "sub/b.txt": "old\n", "from-shell.txt": "added\n" });
  });

  it("reports each mount in --json", async () => {
    const dir = hostFolder();
    const data = hostFolder({ "x.csv": "1,2\n" });
    const outcome = await playpen(["run", "--json", "--mount", `${data}:/in:ro`, "--mount", `${dir}:/data`, editor("/data"), "0"]);
    expect(outcome.stderr).toBe("");
    expect(jsonOf(outcome).mounts).toEqual([
      { host: data, guest: "/in", readOnly: true, committed: false, added: 0, modified: 0, deleted: 0, changes: [] },
      { host: dir, guest: "/data", readOnly: false, committed: true, added: 2, modified: 1, deleted: 1, changes: EDIT_CHANGES },
    ]);
    expect(tree(dir)).toEqual(EDITED);
  });

  it("leaves the host folder unchanged when the run exits 1, and says so", async () => {
    const dir = hostFolder();
    const outcome = await playpen(["run", "--mount", `${dir}:/data`, editor("/data"), "1"]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe(`playpen: /data: 2 added, 1 modified, 1 deleted, not written back to ${dir} (the run exited 1; --commit always would write them)\n`);
    expect(tree(dir)).toEqual(UNEDITED);
  });

  it("writes back after exit 1 with --commit always, and never with --commit never", async () => {
    const always = hostFolder();
    expect((await playpen(["run", "--commit", "always", "--mount", `${always}:/data`, editor("/data"), "1"])).code).toBe(1);
    expect(tree(always)).toEqual(EDITED);
    const never = hostFolder();
    const outcome = await playpen(["run", "--json", "--commit", "never", "--mount", `${never}:/data`, editor("/data"), "0"]);
    expect(jsonOf(outcome).mounts).toMatchObject([{ committed: false, added: 2, modified: 1, deleted: 1 }]);
    expect(tree(never)).toEqual(UNEDITED);
  });

  it("refuses writes to a :ro mount inside the guest and leaves the host folder unchanged", async () => {
    const dir = hostFolder();
    const writer = script("ro-writer.py", [
      "for attempt in [lambda: open('/data/a.txt', 'w').write('x'), lambda: open('/data/new.txt', 'w').write('x')]:",
      "    try: attempt(); print('wrote')",
      "    except OSError as e: print(type(e).__name__, e.errno)",
    ]);
    const outcome = await playpen(["run", "--mount", `${dir}:/data:ro`, writer]);
    expect(outcome.code).toBe(0);
    // Each refusal is explained on stderr (policy/denial.ts), once per path.
    expect(outcome.stderr).toMatch(/^playpen: denied write \/data\/a\.txt by .*\nplaypen: denied write \/data\/new\.txt by .*\n$/);
    expect(outcome.stdout).not.toContain("wrote");
    expect(outcome.stdout.trim().split("\n")).toHaveLength(2);
    expect(tree(dir)).toEqual(UNEDITED);
  });

  it("does not follow a symlink in HOSTDIR that points outside it", async () => {
    const dir = hostFolder({ "a.txt": "a" });
    writeFileSync(path.join(work, "outside.txt"), "host secret");
    symlinkSync(path.join(work, "outside.txt"), path.join(dir, "link"));
    const reader = script("link-reader.py", [
      "import os",
      "print(sorted(os.listdir('/data')))",
      "try: print(open('/data/link').read())",
      "except OSError as e: print(type(e).__name__)",
      "open('/data/link', 'w').write('overwritten')",
    ]);
    const outcome = await playpen(["run", "--mount", `${dir}:/data`, reader]);
    expect(outcome.stdout).toBe("['a.txt']\nFileNotFoundError\n");
    expect(outcome.stderr).toContain("playpen: --mount " + dir + ": skipped link: a symlink (not followed)\n");
    // The guest's new file "link" meets the host's symlink: refused, not written through it.
    expect(outcome.code).toBe(126);
    expect(outcome.stderr).toContain("nothing written back: link is a symlink on the host (not followed)");
    expect(readFileSync(path.join(work, "outside.txt"), "utf8")).toBe("host secret");
  });

  it("leaves the host folder unchanged after a timeout", async () => {
    const dir = hostFolder();
    const spinner = script("spin-writer.py", ["open('/data/new.txt', 'w').write('half')", "while True: pass"]);
    const outcome = await playpen(["run", "--timeout", "1000", "--commit", "always", "--mount", `${dir}:/data`, spinner]);
    expect(outcome.code).toBe(124);
    expect(outcome.stderr).toContain(`playpen: /data: nothing written back to ${dir}: the run left no final state (timeout)\n`);
    expect(tree(dir)).toEqual(UNEDITED);
  });

  it.each([
    [["--mount", "no-such-folder:/data"], 'cannot mount "no-such-folder": no such folder'],
    [["--mount", "file.txt:/data"], 'cannot mount "file.txt": not a folder'],
  ])("refuses %j as a run error (126)", async (flags, message) => {
    writeFileSync(path.join(work, "file.txt"), "a file");
    const outcome = await playpen(["run", ...flags, script("noop.py", ["pass"])], { inProcess: true });
    expect(outcome).toEqual({ code: 126, stdout: "", stderr: `playpen: ${message}\n` });
  });

  it("refuses a folder over the policy's workspace quota (126), and a bad GUESTDIR or --commit as usage errors (2)", async () => {
    const dir = hostFolder({ "big.bin": "x".repeat(5000) });
    const policy = path.join(work, "small.json");
    writeFileSync(policy, JSON.stringify({ version: 1, limits: { workspaceBytes: 4096 } }));
    const quota = await playpen(["run", "--policy", policy, "--mount", `${dir}:/data`, script("noop.py", ["pass"])]);
    expect(quota).toMatchObject({ code: 126, stderr: `playpen: cannot mount "${dir}": workspace quota exceeded: 5000 bytes of 4096 allowed (writing big.bin)\n` });
    const relative = await playpen(["run", "--mount", `${dir}:data`, "x.py"]);
    expect(relative.code).toBe(2);
    expect(relative.stderr).toMatch(/^playpen: --mount ".*:data": mount point must be an absolute guest path/);
    const commit = await playpen(["run", "--commit", "maybe", "x.py"]);
    expect(commit.code).toBe(2);
    expect(commit.stderr).toMatch(/^playpen: unknown --commit "maybe"/);
  });
});

describe("playpen run --mount --engine wasmer", () => {
  it("writes a writable mount under /workspace back after exit 0", async () => {
    const dir = hostFolder();
    const outcome = await playpen(["run", "--json", "--engine", "wasmer", "--mount", `${dir}:/workspace/data`, editor("/workspace/data"), "0"]);
    expect(jsonOf(outcome)).toMatchObject({ exitCode: 0, stdout: "hello ['a.txt', 'c.txt', 'sub']\n", mounts: [{ committed: true, added: 2, modified: 1, deleted: 1 }] });
    expect(tree(dir)).toEqual(EDITED);
  });

  it("discards writes to a :ro mount (the SDK cannot refuse them) and says which", async () => {
    const dir = hostFolder();
    const writer = script("wasmer-ro.py", ["open('/workspace/data/a.txt', 'w').write('x')"]);
    const outcome = await playpen(["run", "--engine", "wasmer", "--mount", `${dir}:/workspace/data:ro`, writer]);
    expect(outcome).toEqual({ code: 0, stdout: "", stderr: "playpen: discarded a write to the read-only /workspace/data/a.txt\n" });
    expect(tree(dir)).toEqual(UNEDITED);
  });

  it("warns that a :ro mount outside /workspace is a copy whose writes are dropped, not refused", async () => {
    const dir = hostFolder();
    const writer = script("wasmer-ro-outside.py", ["open('/data/a.txt', 'w').write('x')", "print(open('/data/a.txt').read())"]);
    const outcome = await playpen(["run", "--engine", "wasmer", "--mount", `${dir}:/data:ro`, writer]);
    expect(outcome).toEqual({
      code: 0,
      // The write went through in the guest's copy (which @wasmer/sdk 0.16 does not even truncate: "xello").
      stdout: expect.stringMatching(/^x/) as string,
      stderr: "playpen: the wasmer engine does not refuse writes to the read-only /data: they are dropped when the run ends (--engine gated refuses them)\n",
    });
    expect(tree(dir)).toEqual(UNEDITED);
  });

  it("refuses a writable mount outside /workspace, naming the flag and the engine", async () => {
    const dir = hostFolder();
    const outcome = await playpen(["run", "--engine", "wasmer", "--mount", `${dir}:/data`, "x.py"]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/^playpen: the wasmer engine cannot enforce --mount .*:\/data \(a writable mount outside \/workspace\)/);
  });
});

describe("playpen run --mount through the daemon", () => {
  it("resolves a relative HOSTDIR against the client's folder, not the daemon's (the checkout)", async () => {
    const dir = hostFolder();
    const outcome = await playpen(["run", "--mount", `${path.basename(dir)}:/data`, editor("/data"), "0"]);
    expect(outcome).toMatchObject({ code: 0, stdout: "hello ['a.txt', 'c.txt', 'sub']\n" });
    expect(outcome.stderr).toBe(`${EDIT_LISTING(dir)}playpen: wrote /data back to ${dir}: 2 added, 1 modified, 1 deleted\n`);
    expect(tree(dir)).toEqual(EDITED);
  });
});

describe("write-back that cannot plant code (issue 13)", () => {
  /** The README's pattern, as the issue found it: the fix also plants a command git runs on the next `git status`. */
  const planter = (mount: string) =>
    script(`plant-${mount.replaceAll("/", "_")}.py`, [
      `m = '${mount}'`,
      "open(m + '/main.py', 'a').write('fixed = True\\n')",
      "try:",
      "    with open(m + '/.git/config', 'a') as f: f.write('\\tfsmonitor = \"sh -c \\'id > PWNED\\'\"\\n')",
      "    print('planted')",
      "except OSError as e: print('refused', type(e).__name__)",
    ]);
  const repo = () => hostFolder({ "main.py": "x = 1\n", ".git/config": "[core]\n\tbare = false\n", ".git/hooks/README": "hooks\n" });

  it("refuses the guest's write to .git/config (the fix is named), and writes the rest back", async () => {
    const dir = repo();
    const outcome = await playpen(["run", "--mount", `${dir}:/repo`, planter("/repo")]);
    expect(outcome.stdout).toBe("refused PermissionError\n");
    expect(outcome.stderr).toMatch(/playpen: denied write \/repo\/\.git\/config by protected in a writable mount \/repo .*allow it with --allow-write=\/repo\/\.git\/config/);
    expect(outcome.code).toBe(0);
    expect(tree(dir)).toMatchObject({ "main.py": "x = 1\nfixed = True\n", ".git/config": "[core]\n\tbare = false\n" });
    expect(existsSync(path.join(dir, "PWNED"))).toBe(false);
  });

  it("lets a grant by name through: --allow-write=/repo/.git/**", async () => {
    const dir = repo();
    const outcome = await playpen(["run", "--mount", `${dir}:/repo`, "--allow-write=/repo/.git/**", planter("/repo")]);
    expect(outcome).toMatchObject({ code: 0, stdout: "planted\n" });
    expect(tree(dir)[".git/config"]).toContain("fsmonitor");
  });

  it("refuses the whole write-back on the wasmer engine, which cannot refuse the write during the run", async () => {
    const dir = repo();
    const outcome = await playpen(["run", "--engine", "wasmer", "--mount", `${dir}:/workspace/repo`, planter("/workspace/repo")]);
    expect(outcome.stdout).toBe("planted\n");
    expect(outcome.code).toBe(126);
    expect(outcome.stderr).toContain("nothing written back: /workspace/repo/.git/config is protected (the host may run or trust it); grant it by name with --allow-write=/workspace/repo/.git/config");
    // Listed before anything was (not) written, every path.
    expect(outcome.stderr).toMatch(/the run changed 2 path\(s\) in \/workspace\/repo, to go back to .*:\nplaypen: {3}modified \.git\/config\nplaypen: {3}modified main\.py\n/);
    expect(tree(dir)).toMatchObject({ "main.py": "x = 1\n", ".git/config": "[core]\n\tbare = false\n" });
  });

  it.each([
    ["evil\\nname.txt", /"evil\\u000aname\.txt" in \/data has a control character in its name \(U\+000A\)/],
    ["etc\\u2215passwd", /"etc\\u2215passwd" in \/data has a character drawn like a slash in its name \(U\+2215\)/],
    ["fake\\uff0fpath", /has a character drawn like a slash in its name \(U\+FF0F\)/],
    ["-rf", /"-rf" in \/data has a name starting with "-", which commands read as an option/],
    ["sub/\\u202etxt.exe", /has a bidirectional control character in its name \(U\+202E\)/],
  ])("refuses the whole write-back when the run leaves a name like %s", async (name, message) => {
    const dir = hostFolder();
    const outcome = await playpen(["run", "--mount", `${dir}:/data`, script("names.py", ["open('/data/fine.txt', 'w').write('fine')", `open('/data/${name}', 'w').write('x')`])]);
    expect(outcome.code).toBe(126);
    expect(outcome.stderr).toMatch(message);
    expect(outcome.stderr).toContain("nothing written back");
    expect(tree(dir)).toEqual(UNEDITED);
  });

  it("--commit ask refuses without a terminal, before anything runs", async () => {
    const dir = hostFolder();
    const outcome = await playpen(["run", "--commit", "ask", "--mount", `${dir}:/data`, editor("/data"), "0"]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/^playpen: --commit ask needs a terminal to ask on, and stdin is not one: use --commit always or never\n/);
    expect(outcome.stdout).toBe("");
    expect(tree(dir)).toEqual(UNEDITED);
  });

  it("lists every changed path in --json", async () => {
    const dir = hostFolder();
    const outcome = await playpen(["run", "--json", "--commit", "never", "--mount", `${dir}:/data`, editor("/data"), "0"]);
    expect(jsonOf(outcome).mounts[0]!.changes).toEqual(EDIT_CHANGES);
    expect(tree(dir)).toEqual(UNEDITED);
  });
});
