import { describe, expect, it } from "vitest";
import type { AccessRequest } from "../../wasm-runtime/capabilities.ts";
import { decide, DEFAULT_POLICY, fixFor, parsePolicy, parsePolicyFlags, policyFromFlags, PROTECTED_RULE, withFragment, type Policy } from "../../wasm-runtime/policy/index.ts";
import { grantMounts, Workspace } from "../../wasm-runtime/workspace/index.ts";

/**
 * Issue 13, finding 5: a writable mount's grant leaves the paths the host runs
 * or trusts (.git/config's fsmonitor, hooks, shell rc files, keys, dotenv,
 * .npmrc) read-only; only a rule that names them grants them.
 */

const files = new Workspace().snapshot();
const mounted = (policy: Policy, path = "/repo", readOnly = false) => grantMounts(policy, [{ path, files, readOnly }]);
const write = (path: string): AccessRequest => ({ capability: "file", access: "write", path });
const read = (path: string): AccessRequest => ({ capability: "file", access: "read", path });
const withFlags = (...flags: string[]) => policyFromFlags(DEFAULT_POLICY, parsePolicyFlags(flags).flags);

const PROTECTED = [
  "/repo/.git",
  "/repo/.git/config",
  "/repo/.git/hooks/pre-commit",
  "/repo/vendor/lib/.git/config",
  "/repo/.ssh/authorized_keys",
  "/repo/.bashrc",
  "/repo/home/.profile",
  "/repo/.zshrc",
  "/repo/.env",
  "/repo/app/.env.local",
  "/repo/.envrc",
  "/repo/.npmrc",
  "/repo/certs/server.pem",
];
const ORDINARY = ["/repo/main.py", "/repo/.gitignore", "/repo/.github/workflows/ci.yml", "/repo/docs/git/notes.md", "/repo/environment.py", "/repo/pem.txt"];

describe("protected paths in a writable mount", () => {
  const policy = mounted(DEFAULT_POLICY);

  it.each(PROTECTED)("%s is read-only, refused by the protection rule", (path) => {
    expect(decide(policy, write(path))).toEqual({ decision: "deny", rule: expect.stringMatching(new RegExp(`^${PROTECTED_RULE} /repo `)) });
    expect(decide(policy, read(path)).decision).toBe("allow");
  });

  it.each(ORDINARY)("%s is writable", (path) => {
    expect(decide(policy, write(path)).decision).toBe("allow");
  });

  it("holds under /workspace too, where the policy's own /workspace/** grant would otherwise reach", () => {
    const inWorkspace = mounted(DEFAULT_POLICY, "/workspace/repo");
    expect(decide(inWorkspace, write("/workspace/repo/.git/config")).decision).toBe("deny");
    expect(decide(inWorkspace, write("/workspace/repo/main.py")).decision).toBe("allow");
    // Outside a mount nothing goes back to the host: /workspace's own .git is the policy's business.
    expect(decide(inWorkspace, write("/workspace/.git/config")).decision).toBe("allow");
  });

  it("is not granted by a broad rule, only by one that names the path", () => {
    expect(decide(mounted(withFlags("--allow-write=/**")), write("/repo/.git/config")).decision).toBe("deny");
    expect(decide(mounted(withFlags("--allow-write=/repo")), write("/repo/.git/config")).decision).toBe("deny");
    const granted = mounted(withFlags("--allow-write=/repo/.git/**"));
    expect(decide(granted, write("/repo/.git/config")).decision).toBe("allow");
    expect(decide(granted, write("/repo/.git/hooks/pre-commit")).decision).toBe("allow");
    // The grant names .git, not the rest.
    expect(decide(granted, write("/repo/.bashrc")).decision).toBe("deny");
    expect(decide(granted, write("/repo/sub/.git/config")).decision).toBe("deny");
    expect(decide(mounted(withFlags("--allow-write=/repo/.git")), write("/repo/.git/config")).decision).toBe("allow");
    expect(decide(mounted(withFlags("--allow-write=/repo/.gitx")), write("/repo/.git/config")).decision).toBe("deny");
  });

  it("a deny rule still wins over a grant by name; an ask rule by name asks", () => {
    const denied = mounted(parsePolicy({ version: 1, files: [{ path: "/repo/.git/**", access: "write" }, { path: "/repo/.git/hooks/**", access: "none" }] }));
    expect(decide(denied, write("/repo/.git/hooks/pre-commit")).decision).toBe("deny");
    expect(decide(denied, write("/repo/.git/config")).decision).toBe("allow");
    const asking = mounted(parsePolicy({ version: 1, files: [{ path: "/repo/.git/config", access: "write", decision: "ask" }] }));
    expect(decide(asking, write("/repo/.git/config")).decision).toBe("ask");
  });

  it("cannot be reached by a move: renaming a file onto a protected path is refused", () => {
    const move: AccessRequest = { capability: "file", access: "move", path: "/repo/hook.sh", to: "/repo/.git/hooks/pre-commit", below: [] };
    expect(decide(policy, move).decision).toBe("deny");
    const folder: AccessRequest = { capability: "file", access: "move", path: "/repo/tmp", to: "/repo/.git", below: ["/config"] };
    expect(decide(policy, folder).decision).toBe("deny");
  });

  it("covers a mount at / as well", () => {
    const root = mounted(parsePolicy({ version: 1 }), "/");
    expect(decide(root, write("/.git/config")).decision).toBe("deny");
    expect(decide(root, write("/src/.git/config")).decision).toBe("deny");
    expect(decide(root, write("/src/main.c")).decision).toBe("allow");
  });

  it("leaves a read-only mount as it was (every write refused by default)", () => {
    expect(decide(mounted(DEFAULT_POLICY, "/data", true), write("/data/.git/config")).decision).toBe("deny");
    expect(decide(mounted(DEFAULT_POLICY, "/data", true), write("/data/x")).decision).toBe("deny");
  });

  it("names the fix, a grant by name, which does allow it", () => {
    const request = write("/repo/.git/config");
    const fix = fixFor(request, decide(policy, request));
    expect(fix.flag).toBe("--allow-write=/repo/.git/config");
    expect(fix.text).toMatch(/read-only .*allow it with --allow-write=\/repo\/\.git\/config/);
    expect(decide(mounted(withFragment(DEFAULT_POLICY, fix.policy!)), request).decision).toBe("allow");
  });
});
