import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEvent, Engine, RunResult, Sandbox } from "../../wasm-runtime/index.ts";
import { DEFAULT_POLICY, parsePolicy, policyFromFlags, type Policy } from "../../wasm-runtime/policy/index.ts";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import { runPlaypen, scratch } from "../support/cli.ts";

/**
 * Issue 12's bypass #1, as it was reproduced: Python's os.rename (and os.link) on the gated
 * engine, each case now refused with the rule in the audit; the same policies
 * are refused whole by the wasmer engine (it cannot enforce per-path rules);
 * and the CLI mount write-back case leaves the host file as it was.
 */

const files = { "proj/keys/secret.txt": "top secret", "proj/readme.txt": "hello" };
const NONE_ON_KEYS = parsePolicy({ version: 1, files: [{ path: "/workspace/**", access: "write" }, { path: "/workspace/proj/keys/**", access: "none" }] });

const CASES: { name: string; policy: Policy; code: string }[] = [
  {
    name: "--deny-read=proj/keys: rename the secret out of the folder, then read it",
    policy: policyFromFlags(DEFAULT_POLICY, { denyRead: ["proj/keys"] }),
    code: "os.rename('/workspace/proj/keys/secret.txt', '/workspace/proj/moved.txt')\nprint(open('/workspace/proj/moved.txt').read())",
  },
  {
    name: "--deny-read=proj/keys: rename the folder keys itself",
    policy: policyFromFlags(DEFAULT_POLICY, { denyRead: ["proj/keys"] }),
    code: "os.rename('/workspace/proj/keys', '/workspace/proj/open')\nprint(open('/workspace/proj/open/secret.txt').read())",
  },
  {
    name: 'access "none" on proj/keys/**: rename the parent proj to p2',
    policy: NONE_ON_KEYS,
    code: "os.rename('/workspace/proj', '/workspace/p2')\nprint(open('/workspace/p2/keys/secret.txt').read())",
  },
  {
    name: "--deny-write=proj/keys: rename the parent, write, rename back",
    policy: policyFromFlags(DEFAULT_POLICY, { denyWrite: ["proj/keys"] }),
    code: "os.rename('/workspace/proj', '/workspace/p2')\nopen('/workspace/p2/keys/secret.txt', 'w').write('overwritten')\nos.rename('/workspace/p2', '/workspace/proj')",
  },
  {
    name: "--deny-read=proj/keys: hard-link the secret into the open folder, then read it",
    policy: policyFromFlags(DEFAULT_POLICY, { denyRead: ["proj/keys"] }),
    code: "os.link('/workspace/proj/keys/secret.txt', '/workspace/proj/hard.txt')\nprint(open('/workspace/proj/hard.txt').read())",
  },
  {
    name: "--deny-write=proj/keys: hard-link the key out, write through the new name",
    policy: policyFromFlags(DEFAULT_POLICY, { denyWrite: ["proj/keys"] }),
    code: "os.link('/workspace/proj/keys/secret.txt', '/workspace/proj/w.txt')\nopen('/workspace/proj/w.txt', 'w').write('overwritten')",
  },
];

let gated: Engine;
let wasmer: Engine;
let gatedSandbox: Sandbox;
let wasmerSandbox: Sandbox;

beforeAll(async () => {
  gated = createNodeEngine("gated");
  wasmer = createNodeEngine("wasmer");
  await Promise.all([gated.prepare("python"), wasmer.prepare("python")]);
  [gatedSandbox, wasmerSandbox] = await Promise.all([gated.createSandbox({ files }), wasmer.createSandbox({ files })]);
}, 120_000);

afterAll(async () => {
  await Promise.all([gatedSandbox.close(), wasmerSandbox.close()]);
  await Promise.all([gated.close(), wasmer.close()]);
});

function python(sandbox: Sandbox, code: string, policy: Policy): Promise<RunResult> {
  return sandbox.run({ program: { language: "python", code: `import os\n${code}` }, policy, timeoutMs: 30_000 }).result;
}

const renameDenials = (audit: AuditEvent[] = []) => audit.filter((e) => e.decision === "deny" && (e.syscall === "path_rename" || e.syscall === "path_link"));

describe("bypass #1 on the gated engine (Python)", () => {
  it.each(CASES)("$name: refused, and the audit names the rule", async ({ policy, code }) => {
    const result = await python(gatedSandbox, code, policy);
    expect(result.stderr).toMatch(/PermissionError: \[Errno 2\]/);
    expect(result.stdout).toBe("");
    const [denial] = renameDenials(result.audit);
    expect(denial?.rule).toMatch(/^files\[1\] "\/workspace\/proj\/keys\/\*\*" (read \(deny\)|write \(deny\)|none)/);
    expect(new TextDecoder().decode(await gatedSandbox.readFile("/workspace/proj/keys/secret.txt"))).toBe("top secret");
  });
});

describe("bypass #1 on the wasmer engine", () => {
  it.each(CASES)("$name: the policy is refused whole (per-path rules cannot be enforced there)", async ({ policy, code }) => {
    const result = await python(wasmerSandbox, code, policy);
    expect(result.reason).toBe("error");
    expect(result.error).toMatch(/the wasmer engine cannot enforce this policy/);
    expect(result.stdout).toBe("");
  });
});

describe("bypass #1 through a CLI mount write-back", () => {
  const scratchDir = scratch("moves");
  const work = scratchDir.dir;
  afterAll(() => scratchDir.remove());

  const playpen = (args: string[]) => runPlaypen(args, { cwd: work, daemonDir: scratchDir.daemonDir, timeoutMs: 120_000 });

  it("--deny-write=/data/proj/keys: rename the parent, write, rename back leaves the host file unchanged", async () => {
    const host = path.join(work, "host");
    mkdirSync(path.join(host, "proj/keys"), { recursive: true });
    writeFileSync(path.join(host, "proj/keys/secret.txt"), "host key");
    const script = path.join(work, "swap.py");
    writeFileSync(
      script,
      [
        "import os",
        "try:",
        "    os.rename('/data/proj', '/data/p2')",
        "    open('/data/p2/keys/secret.txt', 'w').write('overwritten')",
        "    os.rename('/data/p2', '/data/proj')",
        "except PermissionError as e: print('refused', e.errno)",
      ].join("\n"),
    );
    const outcome = await playpen(["run", "--json", "--commit", "always", "--mount", `${host}:/data`, "--deny-write=/data/proj/keys", script]);
    const result = JSON.parse(outcome.stdout) as RunResult;
    expect(result.stdout).toBe("refused 2\n");
    expect(renameDenials(result.audit)[0]?.rule).toMatch(/^files\[\d+\] "\/data\/proj\/keys\/\*\*" write \(deny\): moving /);
    expect(readFileSync(path.join(host, "proj/keys/secret.txt"), "utf8")).toBe("host key");
  }, 120_000);
});
