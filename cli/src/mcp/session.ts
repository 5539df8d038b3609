import { lstat, mkdir, readdir, readFile, rm, writeFile, appendFile } from "node:fs/promises";
import path from "node:path";
import { PlaypenSandbox, type RunBackend } from "../../../wasm-runtime/api/index.ts";
import type { AuditEvent, EngineName } from "../../../wasm-runtime/index.ts";
import { parsePolicyJson, type Policy } from "../../../wasm-runtime/policy/index.ts";
import type { WorkspaceSnapshot } from "../../../wasm-runtime/workspace/index.ts";
import type { AlertHook } from "../alerts.ts";

/** What every session of one server shares: the flags it was started with, and where runs happen. */
export interface ServerContext {
  /** The policy given at start: what a session starts with, and above which the person is asked. */
  ceiling: Policy;
  engine: EngineName;
  secrets: Record<string, string>;
  env: Record<string, string>;
  tools: Record<string, string>;
  backend: RunBackend;
  alertHook?: AlertHook;
}

/**
 * The largest MCP message a server reads, over stdio and HTTP alike: a
 * write_file of a default-quota (64 MiB) file in base64 fits. The SDK's
 * stdio default (10 MiB) would end the whole session on a bigger one.
 */
export const MAX_MESSAGE_BYTES = 128 * 1024 * 1024;

/** Audit events a session keeps in memory (the oldest go first); on disk the log is whole. */
const AUDIT_KEPT = 10_000;

/**
 * One client's sandbox: its /workspace, its granted policy (the ceiling at
 * first) and its audit log, alive until the client disconnects — or kept in
 * a folder (`--session-dir`) as plain files a person can read: `workspace/`,
 * `policy.json` (what was granted), `audit.jsonl`.
 */
export class Session {
  readonly sandbox: PlaypenSandbox;
  readonly audit: AuditEvent[] = [];
  readonly #dir: string | undefined;
  #saving: Promise<void> = Promise.resolve();

  private constructor(context: ServerContext, policy: Policy, files: Record<string, Uint8Array>, dir: string | undefined) {
    this.#dir = dir;
    this.sandbox = new PlaypenSandbox({
      policy,
      engine: context.engine,
      secrets: context.secrets,
      env: context.env,
      tools: context.tools,
      files,
      backend: context.backend,
    });
    this.sandbox.on("audit", (event) => {
      this.audit.push(event);
      if (this.audit.length > AUDIT_KEPT) this.audit.splice(0, this.audit.length - AUDIT_KEPT);
      if (this.#dir) this.#queue(() => appendFile(path.join(this.#dir!, "audit.jsonl"), `${JSON.stringify(event)}\n`));
    });
  }

  /** A new session, or the one kept in `dir` (its files and granted policy) when there is one. */
  static async open(context: ServerContext, dir?: string): Promise<Session> {
    if (!dir) return new Session(context, context.ceiling, {}, undefined);
    await mkdir(path.join(dir, "workspace"), { recursive: true });
    const policyText = await readFile(path.join(dir, "policy.json"), "utf8").catch(() => undefined);
    const policy = policyText === undefined ? context.ceiling : parsePolicyJson(policyText);
    return new Session(context, policy, await readTree(path.join(dir, "workspace")), dir);
  }

  /** Writes the workspace and the granted policy to the session folder, if any (after every change). */
  persist(): Promise<void> {
    const dir = this.#dir;
    if (!dir) return Promise.resolve();
    const snapshot = this.sandbox.snapshot();
    const policy = this.sandbox.policy;
    return this.#queue(async () => {
      await writeTree(path.join(dir, "workspace"), snapshot);
      await writeFile(path.join(dir, "policy.json"), `${JSON.stringify(policy, null, 2)}\n`);
    });
  }

  async close(): Promise<void> {
    await this.sandbox.close();
    await this.#saving;
  }

  #queue(write: () => Promise<void>): Promise<void> {
    this.#saving = this.#saving.then(write).catch((error: unknown) => void process.stderr.write(`playpen mcp: cannot save the session: ${(error as Error).message}\n`));
    return this.#saving;
  }
}

/** Regular files under `root`, by path relative to it (links and special files are skipped, as --mount does). */
async function readTree(root: string): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if ((await lstat(full)).isFile()) files[path.relative(root, full).split(path.sep).join("/")] = new Uint8Array(await readFile(full));
  }
  return files;
}

async function writeTree(root: string, snapshot: WorkspaceSnapshot): Promise<void> {
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  for (const [relative, entry] of snapshot.entries) {
    const full = path.join(root, ...relative.split("/"));
    if (entry.kind === "dir") await mkdir(full, { recursive: true });
    else {
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(full, entry.data);
    }
  }
}
