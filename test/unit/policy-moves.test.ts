import { describe, expect, it } from "vitest";
import type { AuditEvent } from "../../wasm-runtime/capabilities.ts";
import { DEFAULT_POLICY, decide, parsePolicy, policyFromFlags, type FileRule, type PolicyFlags } from "../../wasm-runtime/policy/index.ts";
import { linkCount, mkdirp, populate, readFile, VirtualFs } from "../../wasm-runtime/vfs/index.ts";
import { drive, Errno, policyGate, ROOT_FD, type Calls } from "../support/wasi-driver.ts";

/**
 * The invariant of policy/README.md, tried as an attacker would on the gated
 * engine's WASI host: no rename, symlink or descriptor kept across a move
 * changes what the policy decides for a file.
 */

const SECRET = "top secret";

function workspace(): VirtualFs {
  const fs = new VirtualFs();
  mkdirp(fs, "/workspace");
  populate(fs, { "proj/keys/secret.txt": SECRET, "proj/readme.txt": "hello" });
  return fs;
}

const withFlags = (flags: PolicyFlags) => policyFromFlags(DEFAULT_POLICY, flags);
const withRules = (...files: FileRule[]) => parsePolicy({ version: 1, files: [{ path: "/workspace/**", access: "write" }, ...files] });

/** Runs `script` against a fresh workspace under `policy`; what it returned, the audit, and the files after. */
function attack<T>(policy: ReturnType<typeof withFlags>, script: (calls: Calls) => T, fs = workspace()) {
  const audit: AuditEvent[] = [];
  let result: T | undefined;
  drive(fs, policyGate(policy, audit), (calls) => (result = script(calls)));
  return { result: result as T, audit, fs, denials: audit.filter((e) => e.decision === "deny") };
}

const text = (fs: VirtualFs, path: string) => new TextDecoder().decode(readFile(fs, path));

describe("bypass #1: moving a file or a folder out of a rule's reach", () => {
  it("--deny-read=proj/keys: renaming the secret out of the folder is refused, naming the rule", () => {
    const { result, denials, fs } = attack(withFlags({ denyRead: ["proj/keys"] }), (c) => [
      c.rename("/workspace/proj/keys/secret.txt", "/workspace/proj/moved.txt"),
      c.readFile("/workspace/proj/moved.txt"),
    ]);
    expect(result).toEqual([Errno.ACCES, Errno.NOENT]);
    expect(denials[0]).toMatchObject({ resource: "/workspace/proj/keys/secret.txt", syscall: "path_rename", rule: 'files[1] "/workspace/proj/keys/**" read (deny)' });
    expect(text(fs, "/workspace/proj/keys/secret.txt")).toBe(SECRET);
  });

  it("--deny-read=proj/keys: renaming the denied folder itself is refused", () => {
    const { result, denials } = attack(withFlags({ denyRead: ["proj/keys"] }), (c) => [
      c.rename("/workspace/proj/keys", "/workspace/proj/open"),
      c.readFile("/workspace/proj/open/secret.txt"),
    ]);
    expect(result).toEqual([Errno.ACCES, Errno.NOENT]);
    expect(denials[0]).toMatchObject({ resource: "/workspace/proj/keys", rule: 'files[1] "/workspace/proj/keys/**" read (deny)' });
  });

  it('renaming the parent past an access:"none" rule on keys/** is refused, naming the rule and the file', () => {
    const { result, denials } = attack(withRules({ path: "/workspace/proj/keys/**", access: "none" }), (c) => [
      c.rename("/workspace/proj", "/workspace/p2"),
      c.readFile("/workspace/p2/keys/secret.txt"),
    ]);
    expect(result).toEqual([Errno.ACCES, Errno.NOENT]);
    expect(denials).toHaveLength(1);
    expect(denials[0]).toMatchObject({ resource: "/workspace/proj → /workspace/p2", syscall: "path_rename" });
    expect(denials[0]!.rule).toBe(
      'files[1] "/workspace/proj/keys/**" none: moving /workspace/proj/keys to /workspace/p2/keys would change its read decision (deny → allow)',
    );
  });

  it("--deny-write=proj/keys: rename the parent, write, rename back is refused at the first step", () => {
    const { result, denials, fs } = attack(withFlags({ denyWrite: ["proj/keys"] }), (c) => [
      c.rename("/workspace/proj", "/workspace/p2"),
      c.writeFile("/workspace/p2/keys/secret.txt", "overwritten"),
      c.rename("/workspace/p2", "/workspace/proj"),
    ]);
    expect(result).toEqual([Errno.ACCES, Errno.NOENT, Errno.NOENT]);
    expect(denials[0]!.rule).toMatch(/^files\[1\] "\/workspace\/proj\/keys\/\*\*" write \(deny\): moving .* would change its write decision \(deny → allow\)$/);
    expect(text(fs, "/workspace/proj/keys/secret.txt")).toBe(SECRET);
  });

  it("--deny-write=proj/keys: a folder built elsewhere cannot be moved in under the rule", () => {
    const fs = new VirtualFs();
    mkdirp(fs, "/workspace/proj");
    const { result, denials } = attack(
      withFlags({ denyWrite: ["proj/keys"] }),
      (c) => [c.mkdir("/workspace/p2"), c.mkdir("/workspace/p2/keys"), c.writeFile("/workspace/p2/keys/planted.txt", "x"), c.rename("/workspace/p2", "/workspace/proj/sub")],
      fs,
    );
    expect(result).toEqual([0, 0, 0, 0]);
    // Moving p2 to proj/sub keeps every decision; moving it to proj itself (an empty folder) would not.
    const again = attack(withFlags({ denyWrite: ["proj/keys"] }), (c) => [c.rename("/workspace/proj/sub", "/workspace/proj")], fs);
    expect(again.result).toEqual([Errno.ACCES]);
    expect(again.denials[0]!.rule).toContain("moving /workspace/proj/sub/keys to /workspace/proj/keys would change its write decision (allow → deny)");
    expect(result).toHaveLength(4);
    expect(denials).toEqual([]);
  });

  it("a move that keeps every decision is allowed and audited as such", () => {
    const { result, audit, fs } = attack(withRules({ path: "/workspace/**/keys/**", access: "none" }), (c) => [c.rename("/workspace/proj", "/workspace/p2")]);
    expect(result).toEqual([0]);
    expect(audit.at(-1)).toMatchObject({ decision: "allow", rule: "move (every decision kept)", resource: "/workspace/proj → /workspace/p2" });
    expect(fs.locate("/workspace/p2/keys/secret.txt").node).toBeDefined();
  });

  it("ask rules are kept too: a move from an asked path to an allowed one is denied without asking", () => {
    const policy = parsePolicy({ version: 1, files: [{ path: "/workspace/*", access: "write" }, { path: "/workspace/proj/**", access: "write", decision: "ask" }] });
    // The policy's ask cannot be answered here (the gate denies asks); the move itself is decided first.
    const decided = decide(policy, { capability: "file", access: "move", path: "/workspace/proj/readme.txt", to: "/workspace/readme.txt", below: [] });
    expect(decided.decision).toBe("deny");
    expect(decided.rule).toMatch(/^files\[1\] "\/workspace\/proj\/\*\*" write \(ask\): moving .* \(ask → allow\)$/);
  });
});

describe("symlinks", () => {
  it("a symlink to a denied file is refused when it is created", () => {
    const { result, denials } = attack(withFlags({ denyRead: ["proj/keys"] }), (c) => [
      c.symlink("/workspace/proj/keys/secret.txt", "/workspace/l"),
      c.symlink("proj/keys", "/workspace/k"),
      c.readFile("/workspace/l"),
    ]);
    expect(result).toEqual([Errno.ACCES, Errno.ACCES, Errno.NOENT]);
    expect(denials.map((d) => d.resource)).toEqual(["/workspace/proj/keys/secret.txt", "/workspace/proj/keys"]);
  });

  it("a symlink to a folder holding a denied file is refused: through the link it would be decided otherwise", () => {
    const { result, denials } = attack(withRules({ path: "/workspace/proj/keys/**", access: "none" }), (c) => [c.symlink("/workspace/proj", "/workspace/p")]);
    expect(result).toEqual([Errno.ACCES]);
    expect(denials[0]!.rule).toContain("moving /workspace/proj/keys to /workspace/p/keys would change its read decision");
  });

  it("a symlink out of the granted tree is refused; one inside it works", () => {
    const fs = workspace();
    populate(fs, { "/outside.txt": "host" });
    const { result } = attack(
      DEFAULT_POLICY,
      (c) => [c.symlink("/outside.txt", "/workspace/l"), c.symlink("../../outside.txt", "/workspace/proj/rel"), c.symlink("readme.txt", "/workspace/proj/r"), c.readFile("/workspace/proj/r")],
      fs,
    );
    expect(result).toEqual([Errno.ACCES, Errno.ACCES, 0, "hello"]);
  });

  it("a link already made (by the host) is still decided on its target", () => {
    const fs = workspace();
    fs.symlink("/workspace/proj/keys/secret.txt", fs.locate("/workspace/l"));
    const { result, denials } = attack(withFlags({ denyRead: ["proj/keys"] }), (c) => [c.readFile("/workspace/l")], fs);
    expect(result).toEqual([Errno.ACCES]);
    expect(denials[0]!.resource).toBe("/workspace/proj/keys/secret.txt");
  });
});

describe("hard links: a second name is decided like a move", () => {
  it("--deny-read=proj/keys: linking the secret into the open folder is refused, naming the rule; nothing is created", () => {
    const { result, fs, denials } = attack(withFlags({ denyRead: ["proj/keys"] }), (c) => [c.link("/workspace/proj/keys/secret.txt", "/workspace/hard"), c.readFile("/workspace/hard")]);
    expect(result).toEqual([Errno.ACCES, Errno.NOENT]);
    expect(denials[0]).toMatchObject({ resource: "/workspace/proj/keys/secret.txt", syscall: "path_link", rule: 'files[1] "/workspace/proj/keys/**" read (deny)' });
    expect(fs.locate("/workspace/hard").node).toBeUndefined();
  });

  it('linking into a folder under access:"none" is refused too (the link would put the file under a rule that decides otherwise)', () => {
    const { result, fs } = attack(withRules({ path: "/workspace/proj/keys/**", access: "none" }), (c) => [c.link("/workspace/proj/readme.txt", "/workspace/proj/keys/r")]);
    expect(result).toEqual([Errno.ACCES]);
    expect(fs.locate("/workspace/proj/keys/r").node).toBeUndefined();
  });

  it("--deny-write=proj/keys: linking the key out and writing through the new name is refused; the key is unchanged", () => {
    const { result, fs, denials } = attack(withFlags({ denyWrite: ["proj/keys"] }), (c) => [
      c.link("/workspace/proj/keys/secret.txt", "/workspace/proj/w.txt"),
      c.writeFile("/workspace/proj/w.txt", "overwritten"),
    ]);
    expect(result[0]).toBe(Errno.ACCES);
    expect(denials[0]!.rule).toMatch(/^files\[1\] "\/workspace\/proj\/keys\/\*\*" write \(deny\)/);
    expect(text(fs, "/workspace/proj/keys/secret.txt")).toBe(SECRET);
  });

  it("--deny-write=proj/keys: linking a writable file into the read-only folder is refused (it could be written there through the old name)", () => {
    const { result, fs } = attack(withFlags({ denyWrite: ["proj/keys"] }), (c) => [c.link("/workspace/proj/readme.txt", "/workspace/proj/keys/readme.txt")]);
    expect(result).toEqual([Errno.ACCES]);
    expect(fs.locate("/workspace/proj/keys/readme.txt").node).toBeUndefined();
  });

  it("a read-only mount: a link out of it is EXDEV even when the policy allows writing everywhere, so nothing writes through it", () => {
    const fs = workspace();
    populate(fs, { "/mnt/ro/host.txt": "host file" });
    fs.setReadOnly("/mnt/ro");
    const everything = parsePolicy({ version: 1, files: [{ path: "/**", access: "write" }] });
    const { result } = attack(everything, (c) => [c.link("/mnt/ro/host.txt", "/workspace/host.txt"), c.link("/workspace/proj/readme.txt", "/mnt/ro/r"), c.writeFile("/workspace/host.txt", "x")], fs);
    expect(result).toEqual([Errno.XDEV, Errno.ROFS, 0]);
    expect(text(fs, "/mnt/ro/host.txt")).toBe("host file");
  });

  it("a link both ends may read and write works like a real one: shared content, link count, survives unlinking the other name", () => {
    const { result, fs, audit } = attack(DEFAULT_POLICY, (c) => [
      c.link("/workspace/proj/readme.txt", "/workspace/copy.txt"),
      c.writeFile("/workspace/copy.txt", "changed"),
      c.readFile("/workspace/proj/readme.txt"),
      c.unlink("/workspace/proj/readme.txt"),
      c.readFile("/workspace/copy.txt"),
    ]);
    expect(result).toEqual([0, 0, "changed", 0, "changed"]);
    expect(linkCount(fs.lookup("/workspace/copy.txt"))).toBe(1);
    expect(audit.filter((e) => e.syscall === "path_link").map((e) => e.rule)).toContain("move (every decision kept)");
    expect(fs.locate("/workspace/proj/readme.txt").node).toBeUndefined();
  });

  it("once linked, moving either name past a rule is still refused (the move check sees the linked file)", () => {
    const { result } = attack(withFlags({ denyRead: ["proj/keys"] }), (c) => [
      c.link("/workspace/proj/readme.txt", "/workspace/proj/r2"),
      c.rename("/workspace/proj/r2", "/workspace/proj/keys/r2"),
      c.rename("/workspace/proj", "/workspace/p2"),
    ]);
    // Renaming proj carries keys/ with it, which --deny-read names by path: refused as in bypass #1.
    expect(result).toEqual([0, Errno.ACCES, Errno.ACCES]);
  });
});

describe("descriptors obtained before a move are decided on the current path", () => {
  const policy = withFlags({ denyWrite: ["proj/keys"] });

  it("path_open relative to a folder's descriptor, after that folder was renamed (a move that kept every decision)", () => {
    const fs = new VirtualFs();
    mkdirp(fs, "/workspace/p2");
    const { result, denials } = attack(
      policy,
      (c) => {
        const dir = c.open("/workspace/p2", { directory: true });
        return [dir.errno, c.rename("/workspace/p2", "/workspace/proj"), c.open("keys", { dir: dir.fd, create: true, write: true, directory: false }).errno, c.mkdir("keys", dir.fd)];
      },
      fs,
    );
    // The folder is empty, so the move keeps every decision; what the descriptor then reaches is /workspace/proj/keys.
    expect(result).toEqual([0, 0, Errno.ACCES, Errno.ACCES]);
    expect(denials.map((d) => d.resource)).toEqual(["/workspace/proj/keys", "/workspace/proj/keys"]);
  });

  it("after fd_renumber the descriptor still resolves where its folder is now", () => {
    const fs = new VirtualFs();
    mkdirp(fs, "/workspace/p2");
    const { result, denials } = attack(
      policy,
      (c) => {
        const dir = c.open("/workspace/p2", { directory: true });
        const other = c.open("/workspace", { directory: true });
        return [c.rename("/workspace/p2", "/workspace/proj"), c.renumber(dir.fd, other.fd), c.mkdir("keys", other.fd), c.mkdir("keys", ROOT_FD + 100)];
      },
      fs,
    );
    expect(result).toEqual([0, 0, Errno.ACCES, 8]);
    expect(denials.map((d) => d.resource)).toEqual(["/workspace/proj/keys"]);
  });
});
