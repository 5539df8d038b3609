import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import type { Engine, EngineName, RunRequest, RunResult, Sandbox } from "../../wasm-runtime/index.ts";
import { parsePolicy } from "../../wasm-runtime/policy/index.ts";

/** busybox.wasm's applets, as the build announces them in the manifest. */
const manifest = JSON.parse(readFileSync(new URL("../../public/runtimes/manifest.json", import.meta.url), "utf8")) as {
  runtimes: { name: string; commands?: string[] }[];
};
const APPLETS = manifest.runtimes.find((r) => r.name === "busybox")?.commands ?? [];

const FILES = {
  "notes.txt": "pear\napple\nfig\napple\n",
  "nums.txt": "10\n9\n100\n",
  "a.txt": "one\ntwo\nthree\n",
  "b.txt": "one\n2\nthree\n",
  "csv.txt": "a,b,c\n1,2,3\n",
  "x.txt": "a\nb\nc\n",
  "y.txt": "b\nc\nd\n",
  "dir/deep/leaf.txt": "leaf\n",
};

const digest = (algorithm: string) => `${createHash(algorithm).update(FILES["a.txt"]).digest("hex")}  a.txt\n`;

/** One run of an applet: what it is given and what it must print (exactly, or matching) and exit with. */
interface AppletCase {
  command: string;
  args?: string[];
  stdin?: string;
  stdout: string | RegExp;
  exitCode?: number;
}

/** Applets that only read (or print), each run once on the workspace above; the ones that change files are in `changes files` below. */
const READERS: AppletCase[] = [
  { command: "cat", stdin: "from stdin\n", stdout: "from stdin\n" },
  { command: "ls", args: ["dir", "."], stdout: ".:\na.txt\nb.txt\ncsv.txt\ndir\nnotes.txt\nnums.txt\nx.txt\ny.txt\n\ndir:\ndeep\n" },
  { command: "grep", args: ["-n", "apple", "notes.txt"], stdout: "2:apple\n4:apple\n" },
  { command: "egrep", args: ["^(pear|fig)$", "notes.txt"], stdout: "pear\nfig\n" },
  { command: "fgrep", args: ["-c", "p", "notes.txt"], stdout: "3\n" },
  { command: "sed", args: ["-n", "s/^a/A/p", "notes.txt"], stdout: "Apple\nApple\n" },
  { command: "awk", args: ["-F,", "NR > 1 { print $2 + $3 }", "csv.txt"], stdout: "5\n" },
  { command: "sort", args: ["-n", "nums.txt"], stdout: "9\n10\n100\n" },
  { command: "uniq", args: ["-c"], stdin: "a\na\nb\n", stdout: "      2 a\n      1 b\n" },
  { command: "wc", args: ["-l", "notes.txt"], stdout: "4 notes.txt\n" },
  { command: "head", args: ["-n", "1", "notes.txt"], stdout: "pear\n" },
  { command: "tail", args: ["-n", "2", "a.txt"], stdout: "two\nthree\n" },
  { command: "find", args: [".", "-name", "*.txt", "-path", "*deep*"], stdout: "./dir/deep/leaf.txt\n" },
  { command: "diff", args: ["a.txt", "b.txt"], stdout: /^--- a\.txt\n\+\+\+ b\.txt\n@@ -1,3 \+1,3 @@\n one\n-two\n\+2\n three\n$/, exitCode: 1 },
  { command: "cmp", args: ["a.txt", "b.txt"], stdout: /a\.txt b\.txt differ: .*line 2/, exitCode: 1 },
  { command: "comm", args: ["-12", "x.txt", "y.txt"], stdout: "b\nc\n" },
  { command: "sha256sum", args: ["a.txt"], stdout: digest("sha256") },
  { command: "sha1sum", args: ["a.txt"], stdout: digest("sha1") },
  { command: "sha512sum", args: ["a.txt"], stdout: digest("sha512") },
  { command: "sha3sum", args: ["-a", "256", "a.txt"], stdout: digest("sha3-256") },
  { command: "md5sum", args: ["a.txt"], stdout: digest("md5") },
  { command: "cut", args: ["-d,", "-f2", "csv.txt"], stdout: "b\n2\n" },
  { command: "tr", args: ["a-z", "A-Z"], stdin: "hi there\n", stdout: "HI THERE\n" },
  // xargs and find -exec cannot start processes; busybox runs its in-process applets for them.
  { command: "xargs", args: ["echo", "got"], stdin: "x y\nz\n", stdout: "got x y z\n" },
  { command: "printf", args: ["%s-%03d\\n", "a", "5"], stdout: "a-005\n" },
  { command: "echo", args: ["-n", "no newline"], stdout: "no newline" },
  { command: "basename", args: ["/a/b/c.txt", ".txt"], stdout: "c\n" },
  { command: "dirname", args: ["/a/b/c.txt"], stdout: "/a/b\n" },
  { command: "date", args: ["-u", "-d", "@86400", "+%Y-%m-%d %H:%M"], stdout: "1970-01-02 00:00\n" },
  { command: "env", stdout: /^PWD=\/workspace$/m },
  { command: "printenv", args: ["PWD"], stdout: "/workspace\n" },
  { command: "seq", args: ["2", "4"], stdout: "2\n3\n4\n" },
  { command: "true", stdout: "" },
  { command: "false", stdout: "", exitCode: 1 },
  { command: "test", args: ["-d", "a.txt"], stdout: "", exitCode: 1 },
  { command: "expr", args: ["6", "*", "7"], stdout: "42\n" },
  { command: "od", args: ["-c"], stdin: "ab", stdout: "0000000   a   b\n0000002\n" },
  { command: "hexdump", args: ["-C"], stdin: "ab", stdout: "00000000  61 62                                             |ab|\n00000002\n" },
  { command: "xxd", args: ["-p"], stdin: "ab", stdout: "6162\n" },
  { command: "base64", stdin: "hi", stdout: "aGk=\n" },
  { command: "nl", args: ["x.txt"], stdout: "     1\ta\n     2\tb\n     3\tc\n" },
  { command: "rev", stdin: "abc\n", stdout: "cba\n" },
  { command: "fold", args: ["-w", "2"], stdin: "abcd\n", stdout: "ab\ncd\n" },
  { command: "paste", args: ["-d,", "x.txt", "y.txt"], stdout: "a,b\nb,c\nc,d\n" },
  { command: "tac", args: ["a.txt"], stdout: "three\ntwo\none\n" },
  { command: "expand", stdin: "a\tb\n", stdout: "a       b\n" },
  { command: "unexpand", args: ["-a"], stdin: "a       b\n", stdout: "a\tb\n" },
  { command: "stat", args: ["-c", "%s %n", "a.txt"], stdout: "14 a.txt\n" },
  { command: "du", args: ["-s", "dir"], stdout: /^\d+\tdir\n$/ },
  { command: "realpath", args: ["dir/deep/../deep/leaf.txt"], stdout: "/workspace/dir/deep/leaf.txt\n" },
  { command: "readlink", args: ["-f", "dir/./deep"], stdout: "/workspace/dir/deep\n" },
  { command: "pwd", stdout: "/workspace\n" },
  { command: "shuf", args: ["-n", "1", "-e", "only"], stdout: "only\n" },
  { command: "sleep", args: ["0.05"], stdout: "" },
  { command: "uname", args: ["-m"], stdout: /^\S+\n$/ },
  // Nothing on PATH is a file: every command here is an applet inside one module.
  { command: "which", args: ["no-such-command"], stdout: "", exitCode: 1 },
];

/** The applets the tests after the table run: they change files, need each other, or never end. */
const CHECKED_BELOW_THE_TABLE = ["mkdir", "touch", "cp", "mv", "ln", "tee", "rm", "rmdir", "chmod", "truncate", "split", "mktemp", "gzip", "zcat", "gunzip", "tar", "yes"];

describe.each<EngineName>(["wasmer", "gated"])("busybox applets on the %s engine", (engineName) => {
  let engine: Engine;
  let sandbox: Sandbox;
  beforeAll(async () => {
    engine = createNodeEngine(engineName);
    sandbox = await engine.createSandbox({ files: FILES });
  });
  afterAll(async () => {
    await sandbox.close();
    await engine.close();
  });

  const applet = (command: string, args: string[] = [], extra: Partial<RunRequest> = {}): Promise<RunResult> =>
    sandbox.run({ program: { language: "command", runtime: "busybox", command }, args, cwd: "/workspace", timeoutMs: 20_000, ...extra }).result;

  it.each(READERS.map((c) => [[c.command, ...(c.args ?? [])].join(" "), c] as const))("%s", async (_, c) => {
    const result = await applet(c.command, c.args, c.stdin === undefined ? {} : { stdin: c.stdin });
    expect(result.stderr).toBe("");
    if (typeof c.stdout === "string") expect(result.stdout).toBe(c.stdout);
    else expect(result.stdout).toMatch(c.stdout);
    expect(result.exitCode).toBe(c.exitCode ?? 0);
  });

  it("changes files: mkdir, touch, cp, mv, ln, tee, rm, rmdir, chmod, truncate, split, sort -o, mktemp", async () => {
    const steps: [string, string[], string?][] = [
      ["mkdir", ["-p", "work/empty", "work/gone"]],
      ["touch", ["work/t"]],
      ["cp", ["a.txt", "work/copy.txt"]],
      ["mv", ["work/copy.txt", "work/moved.txt"]],
      ["ln", ["-s", "moved.txt", "work/link"]],
      ["tee", ["work/tee.txt"], "teed\n"],
      ["rm", ["work/t"]],
      // WASI has no permission bits: chmod succeeds and changes nothing.
      ["chmod", ["600", "work/moved.txt"]],
      ["truncate", ["-s", "3", "work/tee.txt"]],
      ["split", ["-l", "1", "x.txt", "work/part."]],
      // Output files replace stdout by moving a descriptor (WASI has no dup2).
      ["sort", ["-r", "-o", "work/sorted.txt", "x.txt"]],
    ];
    for (const [command, args, stdin] of steps) {
      const result = await applet(command, args, stdin === undefined ? {} : { stdin });
      expect({ command, stderr: result.stderr, exitCode: result.exitCode }).toEqual({ command, stderr: "", exitCode: 0 });
    }
    const rmdir = await applet("rmdir", ["work/gone"]);
    if (engineName === "wasmer") {
      // @wasmer/sdk 0.16 cannot remove a folder an earlier run made (Python's os.rmdir fails the same way).
      expect(rmdir.stderr).toBe("rmdir: 'work/gone': No such file or directory\n");
      await applet("rm", ["-r", "work/gone"]);
    } else {
      expect(rmdir.exitCode).toBe(0);
    }
    expect((await applet("ls", ["work"])).stdout).toBe("empty\nlink\nmoved.txt\npart.aa\npart.ab\npart.ac\nsorted.txt\ntee.txt\n");
    expect((await applet("cat", ["work/link", "work/tee.txt", "work/part.ab", "work/sorted.txt"])).stdout).toBe("one\ntwo\nthree\nteeb\nc\nb\na\n");
    const made = await applet("mktemp", ["work/tmp.XXXXXX"]);
    expect(made.stdout).toMatch(/^work\/tmp\.\w{6}\n$/);
    expect(new TextDecoder().decode(await sandbox.readFile(`/workspace/${made.stdout.trim()}`))).toBe("");
  });

  it("archives: gzip, zcat, gunzip, tar", async () => {
    await sandbox.writeFile("/workspace/arc/in.txt", "packed\n");
    for (const [command, args] of [
      ["gzip", ["-k", "arc/in.txt"]],
      ["tar", ["-cf", "arc/all.tar", "a.txt", "x.txt"]],
    ] as const) {
      expect((await applet(command, [...args])).exitCode).toBe(0);
    }
    expect((await applet("zcat", ["arc/in.txt.gz"])).stdout).toBe("packed\n");
    expect((await applet("gunzip", ["-c", "arc/in.txt.gz"])).stdout).toBe("packed\n");
    expect((await applet("tar", ["-tf", "arc/all.tar"])).stdout).toBe("a.txt\nx.txt\n");
  });

  it("resolves relative paths against cwd", async () => {
    const inDir = (command: string, args: string[]) => applet(command, args, { cwd: "/workspace/dir" });
    expect((await inDir("cat", ["deep/leaf.txt"])).stdout).toBe("leaf\n");
    expect((await inDir("find", [".", "-type", "f"])).stdout).toBe("./deep/leaf.txt\n");
    expect((await inDir("pwd", [])).stdout).toBe("/workspace/dir\n");
    expect((await inDir("test", ["-f", "../a.txt"])).exitCode).toBe(0);
  });

  it("runs as `busybox APPLET` too, and names an applet it lacks", async () => {
    expect((await applet("busybox", ["wc", "-w", "a.txt"])).stdout).toBe("3 a.txt\n");
    const missing = await applet("busybox", ["vi"]);
    expect(missing.stderr).toMatch(/vi: applet not found/);
    expect(missing.exitCode).toBe(127);
  });

  it("stops a runaway applet at the time limit", async () => {
    const result = await applet("yes", [], { timeoutMs: 1000 });
    expect(result.stdout.startsWith("y\ny\n")).toBe(true);
    expect(result.reason).toBe("timeout");
  });

  it("has a check above for every applet the manifest lists", () => {
    const covered = new Set([...READERS.map((c) => c.command), ...CHECKED_BELOW_THE_TABLE]);
    expect(APPLETS.filter((a) => !covered.has(a))).toEqual([]);
    expect(APPLETS.length).toBeGreaterThan(60);
  });
});

describe("busybox on the gated engine: the policy decides every path", () => {
  const engine = createNodeEngine("gated");
  afterAll(() => engine.close());

  it("a denied path fails inside the applet, with its audit event", async () => {
    const sandbox = await engine.createSandbox({ files: { "open.txt": "fine\n", "private/secret.txt": "top secret\n" } });
    try {
      const policy = parsePolicy({ version: 1, files: [{ path: "/workspace/**", access: "write" }, { path: "/workspace/private/**", access: "none" }] });
      const run = (command: string, args: string[]) =>
        sandbox.run({ program: { language: "command", runtime: "busybox", command }, args, cwd: "/workspace", policy }).result;
      const denied = await run("cat", ["open.txt", "private/secret.txt"]);
      expect(denied.stdout).toBe("fine\n");
      expect(denied.stderr).toMatch(/private\/secret\.txt.*Permission denied/);
      expect(denied.exitCode).toBe(1);
      const events = (denied.audit ?? []).filter((e) => e.decision === "deny" && e.resource === "/workspace/private/secret.txt");
      expect(events[0]).toMatchObject({ rule: expect.stringContaining("/workspace/private/**") });
      const grep = await run("grep", ["-r", "secret", "."]);
      expect(grep.stdout).not.toMatch(/top secret/);
      expect(grep.exitCode).not.toBe(0);
    } finally {
      await sandbox.close();
    }
  });
});
