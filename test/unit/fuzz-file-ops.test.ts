import fc from "fast-check";
import { zipSync, type Zippable } from "fflate";
import { describe, expect, it } from "vitest";
import { parsePolicy, type FileRule, type Policy } from "../../wasm-runtime/policy/index.ts";
import { mkdirp, populate, VirtualFs, type DirNode, type Node } from "../../wasm-runtime/vfs/index.ts";
import { importZip, isWithin, normalizePath, Workspace, WorkspaceError } from "../../wasm-runtime/workspace/index.ts";
import { drive, Errno, policyGate, type Calls } from "../support/wasi-driver.ts";

/**
 * Property tests of the file rules under random operation sequences, on the
 * gated engine's real WASI host and VFS, and of the zip import under random
 * archives. Deterministic in CI (fixed seed, bounded runs); a longer hunt is
 * `PLAYPEN_FUZZ_RUNS=100000 npx vitest run test/unit/fuzz-file-ops.test.ts`
 * (PLAYPEN_FUZZ_SEED picks another seed; a failure prints its seed and path to replay).
 */

const RUNS = Number(process.env.PLAYPEN_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.PLAYPEN_FUZZ_SEED ?? 20261207);
const TIMEOUT_MS = Math.max(60_000, RUNS * 20);
const settings = { numRuns: RUNS, seed: SEED };

// ---------------------------------------------------------------------------
// The reference model: what a policy of plain rules allows for a resolved path.
// Written from the table in policy/README.md, independently of decide.ts, for
// the rule shapes generated here only: an exact path, or `base/**`.
// ---------------------------------------------------------------------------

function covers(rulePath: string, path: string): boolean {
  if (!rulePath.endsWith("/**")) return rulePath === path;
  const base = rulePath.slice(0, -3);
  return path === base || path.startsWith(`${base}/`);
}

/** `read` rules speak of reading; `write` of writing, and of reading too unless they deny; `none` denies both. */
function speaksOf(rule: FileRule, access: "read" | "write"): boolean {
  if (rule.access === "none") return true;
  if (rule.access === "read") return access === "read";
  return access === "write" || rule.decision !== "deny";
}

/** Any deny wins, then any allow; an ask (unanswered here) or no rule at all is not an allow. */
function modelAllows(policy: Policy, path: string, access: "read" | "write"): boolean {
  const decisions = policy.files
    .filter((rule) => speaksOf(rule, access) && covers(rule.path, path))
    .map((rule) => (rule.access === "none" ? "deny" : (rule.decision ?? "allow")));
  return !decisions.includes("deny") && decisions.includes("allow");
}

// ---------------------------------------------------------------------------
// Generators: a small world (/w, names a and k, depth 3: 14 paths) so sequences collide.
// ---------------------------------------------------------------------------

const NAME = fc.constantFrom("a", "k");
const PATH = fc.array(NAME, { minLength: 1, maxLength: 3 }).map((parts) => `/w/${parts.join("/")}`);
const TARGET = fc.oneof(
  PATH,
  fc.array(fc.constantFrom("a", "k", ".."), { minLength: 1, maxLength: 4 }).map((parts) => parts.join("/")),
  fc.constantFrom("/w", "/secret", "/"),
);
const RULE: fc.Arbitrary<FileRule> = fc
  .record({
    // Half of the rules land on the folders and files the world starts with.
    path: fc.oneof(PATH, PATH.map((p) => `${p}/**`), fc.constantFrom("/w/a/**", "/w/a/k/**", "/w/k/**", "/w/a/a", "/w/k/a", "/w/a/k/a", "/w/**", "/secret", "/**")),
    access: fc.constantFrom("read", "write", "none"),
    decision: fc.constantFrom("allow", "deny", "deny", "ask"),
  })
  .map((rule) => (rule.access === "none" ? { path: rule.path, access: rule.access } : rule));
const POLICY = fc
  .array(RULE, { maxLength: 4 })
  .map((rules) => parsePolicy({ version: 1, files: [{ path: "/w/**", access: "write" }, ...rules] }));

type Op =
  | { op: "mkdir" | "unlink" | "read" | "write" | "opendir"; path: string }
  | { op: "symlink"; target: string; path: string }
  | { op: "rename" | "link"; from: string; to: string }
  | { op: "readAt" | "writeAt"; fd: number; name: string }
  | { op: "renumber"; from: number; to: number };

const FD = fc.nat({ max: 3 });
/** Moves are what the rules must survive: they come most often. */
const OP: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom("mkdir", "unlink", "read", "write", "opendir"), path: PATH }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("symlink"), target: TARGET, path: PATH }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("rename"), from: PATH, to: PATH }) },
  // A link needs an existing source: mostly one of the files the world starts with.
  { weight: 2, arbitrary: fc.record({ op: fc.constant("link"), from: fc.oneof(PATH, fc.constantFrom("/w/a/k/a", "/w/k/a", "/w/a/a")), to: PATH }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom("readAt", "writeAt"), fd: FD, name: fc.constantFrom("a", "k", "k/a", "../k/a", "../../secret") }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("renumber"), from: FD, to: FD }) },
) as fc.Arbitrary<Op>;

/** Files present at the start, each holding `init:<its path>` so a read tells where its bytes came from. */
const INITIAL = ["/w/a/k/a", "/w/k/a", "/w/a/a", "/secret"];
/** Every path of the world, which the guest tries to read once its operations are done. */
const EVERY_PATH = ["/secret", ...["a", "k"].flatMap((x) => [`/w/${x}`, ...["a", "k"].flatMap((y) => [`/w/${x}/${y}`, `/w/${x}/${y}/a`, `/w/${x}/${y}/k`])])];

function initialFs(): VirtualFs {
  const fs = new VirtualFs();
  mkdirp(fs, "/w");
  populate(fs, Object.fromEntries(INITIAL.map((p) => [p, `init:${p}`])), "/");
  return fs;
}

/** Every path in the tree (symlinks not followed) and what is there: `file:<content>`, `dir`, `link:<target>`. */
function stateOf(fs: VirtualFs): Map<string, string> {
  const state = new Map<string, string>();
  const walk = (node: Node, path: string) => {
    if (node.kind === "file") state.set(path, `file:${new TextDecoder().decode(node.data.subarray(0, node.size))}`);
    else if (node.kind === "symlink") state.set(path, `link:${node.target}`);
    else {
      state.set(path, "dir");
      for (const [name, child] of node.entries) walk(child, `${path === "/" ? "" : path}/${name}`);
    }
  };
  walk(fs.root, "/");
  return state;
}

describe("random file operations against random policies (gated WASI host + VFS)", () => {
  it(
    "never reveal bytes from an unreadable path, never change an unwritable one, and decide each plain call on its resolved path",
    () => {
      fc.assert(
        fc.property(POLICY, fc.array(OP, { maxLength: 14 }), (policy, ops) => {
          const fs = initialFs();
          const before = stateOf(fs);
          const problems: string[] = [];
          drive(fs, policyGate(policy), (calls) => runOps(calls, fs, policy, ops, problems));
          // Integrity: wherever the model forbids writing, the tree ends as it started.
          const after = stateOf(fs);
          for (const path of new Set([...before.keys(), ...after.keys()])) {
            if (path !== "/" && !modelAllows(policy, path, "write") && before.get(path) !== after.get(path)) {
              problems.push(`unwritable ${path} changed: ${before.get(path)} → ${after.get(path)}`);
            }
          }
          expect(problems).toEqual([]);
        }),
        settings,
      );
    },
    TIMEOUT_MS,
  );
});

/** Runs `ops` as the guest, noting every way the host disagrees with the model. */
function runOps(calls: Calls, fs: VirtualFs, policy: Policy, ops: readonly Op[], problems: string[]): void {
  const dirs: number[] = [];
  let written = 0;
  /** Confidentiality: a read shows the guest's own bytes, or bytes that started at a path the model lets it read. */
  const checkRead = (what: string, text: string | number) => {
    if (typeof text === "number") return;
    const origin = /^init:(.*)$/s.exec(text)?.[1];
    if (origin !== undefined && !modelAllows(policy, origin, "read")) problems.push(`${what} revealed ${text}`);
  };
  /** A plain call is decided on its resolved path: allowed iff the model allows every access it needs there. */
  const checkDecided = (what: string, errno: number, resolved: string, accesses: readonly ("read" | "write")[]) => {
    const allowed = accesses.every((access) => modelAllows(policy, resolved, access));
    if (errno === Errno.ACCES && allowed) problems.push(`${what}: EACCES, but the model allows ${accesses.join("+")} of ${resolved}`);
    if (errno !== Errno.ACCES && !allowed) problems.push(`${what}: errno ${errno}, but the model denies ${accesses.join("+")} of ${resolved}`);
  };
  /** Directory descriptors the guest holds (3, the preopened `/`, when none), and the folder each was opened on. */
  const openDirs = new Map<number, DirNode>();
  const dirFd = (i: number) => dirs[i % Math.max(dirs.length, 1)] ?? 3;
  // Resolution is the VFS's own (tested in vfs.test.ts): a descriptor resolves from where its folder is now.
  const resolvedAt = (fd: number, name: string) => fs.locate(name, { from: openDirs.get(fd) ?? fs.root }).path;

  for (const step of ops) {
    const what = JSON.stringify(step);
    switch (step.op) {
      case "read": {
        const resolved = fs.locate(step.path).path;
        const text = calls.readFile(step.path);
        checkRead(what, text);
        checkDecided(what, typeof text === "number" ? text : 0, resolved, ["read"]);
        break;
      }
      case "write": {
        const resolved = fs.locate(step.path).path;
        checkDecided(what, calls.writeFile(step.path, `w:${++written}`), resolved, ["read", "write"]);
        break;
      }
      case "mkdir":
        checkDecided(what, calls.mkdir(step.path), fs.locate(step.path, { follow: false }).path, ["write"]);
        break;
      case "unlink":
        checkDecided(what, calls.unlink(step.path), fs.locate(step.path, { follow: false }).path, ["write"]);
        break;
      case "opendir": {
        const resolved = fs.locate(step.path).path;
        const { errno, fd } = calls.open(step.path, { directory: true });
        checkDecided(what, errno, resolved, ["read"]);
        if (errno === 0) {
          dirs.push(fd);
          openDirs.set(fd, fs.lookup(resolved) as DirNode);
        }
        break;
      }
      case "readAt":
      case "writeAt": {
        const fd = dirFd(step.fd);
        const resolved = resolvedAt(fd, step.name);
        if (step.op === "readAt") {
          const { errno, fd: file } = calls.open(step.name, { dir: fd });
          const text = errno === 0 ? calls.read(file) : errno;
          if (errno === 0) calls.close(file);
          checkRead(what, text);
          checkDecided(what, errno, resolved, ["read"]);
        } else {
          const { errno, fd: file } = calls.open(step.name, { dir: fd, create: true, truncate: true, write: true });
          if (errno === 0) {
            calls.write(file, `w:${++written}`);
            calls.close(file);
          }
          checkDecided(what, errno, resolved, ["read", "write"]);
        }
        break;
      }
      case "renumber": {
        const [from, to] = [dirFd(step.from), dirFd(step.to)];
        if (calls.renumber(from, to) === 0 && from !== to) {
          openDirs.set(to, openDirs.get(from)!);
          openDirs.delete(from);
          dirs.splice(dirs.indexOf(from), 1);
        }
        break;
      }
      case "symlink":
        calls.symlink(step.target, step.path);
        break;
      case "rename":
        calls.rename(step.from, step.to);
        break;
      case "link": {
        // A second name is a move that keeps the first: both ends readable and writable (and every decision equal).
        const [from, to] = [fs.locate(step.from, { follow: false }).path, fs.locate(step.to, { follow: false }).path];
        const errno = calls.link(step.from, step.to);
        const allowed = [from, to].every((path) => modelAllows(policy, path, "read") && modelAllows(policy, path, "write"));
        if (errno === 0 && !allowed) problems.push(`${what}: linked, but the model denies reading or writing ${from} or ${to}`);
        break;
      }
    }
  }
  for (const path of EVERY_PATH) checkRead(`finally reading ${path}`, calls.readFile(path));
}

// ---------------------------------------------------------------------------
// Zip import: random archives never escape the folder they are imported into.
// ---------------------------------------------------------------------------

const ENTRY_NAME = fc
  .tuple(fc.array(fc.constantFrom("a", "b", "..", ".", "", "C:", "\\", "/", "\0", "é", "__proto__", "x\\..\\..\\y"), { minLength: 1, maxLength: 4 }), fc.constantFrom("/", "\\"))
  .map(([parts, separator]) => parts.join(separator));
const ARCHIVE = fc.dictionary(ENTRY_NAME, fc.uint8Array({ maxLength: 8 }), { maxKeys: 5 });

/** The archive, or undefined for names fflate cannot write (those cases are skipped). */
function zipOf(entries: Record<string, Uint8Array>): Uint8Array | undefined {
  const files: Zippable = Object.create(null) as Zippable;
  for (const [name, data] of Object.entries(entries)) files[name] = data;
  try {
    return zipSync(files);
  } catch {
    return undefined;
  }
}

describe("random zip archives (workspace import)", () => {
  it(
    "either import inside the folder, all of it, or are refused with a WorkspaceError and change nothing",
    () => {
      fc.assert(
        fc.property(ARCHIVE, fc.constantFrom("", "up", "up/in"), fc.option(fc.tuple(fc.nat(), fc.nat({ max: 255 }))), (entries, folder, corruption) => {
          const workspace = new Workspace({ bytes: 4096 });
          workspace.writeFile("keep.txt", new TextEncoder().encode("kept"));
          const before = workspace.snapshot();
          const zip = zipOf(entries);
          fc.pre(zip !== undefined);
          if (corruption) zip[corruption[0] % zip.length] = corruption[1];
          try {
            importZip(workspace, zip, folder);
          } catch (error) {
            expect(error).toBeInstanceOf(WorkspaceError);
            expect(workspace.snapshot().entries).toEqual(before.entries);
            return;
          }
          for (const [path, entry] of workspace.snapshot().entries) {
            expect(normalizePath(path)).toBe(path);
            if (!before.entries.has(path)) expect(isWithin(path, folder) || isWithin(folder, path), path).toBe(true);
            else if (!isWithin(path, folder)) expect(entry).toBe(before.entries.get(path));
          }
        }),
        settings,
      );
    },
    TIMEOUT_MS,
  );
});
