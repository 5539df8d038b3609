import type { AccessRequest, AuditEvent, FileAccess } from "../capabilities.ts";
import type { AskAnswer } from "../types.ts";
import type { FolderEntry, Sandbox } from "../engine/engine.ts";
import { decide, type Policy } from "../policy/index.ts";
import { ShellError } from "./errors.ts";
import { baseName, parentOf } from "./paths.ts";

/** The run id of the shell's own decisions in the audit log; commands have their engine's ids. */
export const SHELL_RUN_ID = "shell";

/**
 * The files the shell itself touches — redirections, globs, script files,
 * `.wasm` commands — read and written through the sandbox's host API. The
 * guest-facing engines never see these accesses, so each is decided here by the
 * run's policy, the same `decide` the gated WASI host uses, and audited.
 */
export class ShellFiles {
  readonly #sandbox: Sandbox;
  readonly #policy: Policy;
  readonly #ask: ((request: AccessRequest, syscall: string) => Promise<AskAnswer>) | undefined;
  readonly #record: (event: AuditEvent) => void;

  constructor(sandbox: Sandbox, policy: Policy, ask: ((request: AccessRequest, syscall: string) => Promise<AskAnswer>) | undefined, record: (event: AuditEvent) => void) {
    this.#sandbox = sandbox;
    this.#policy = policy;
    this.#ask = ask;
    this.#record = record;
  }

  async readBytes(path: string, syscall: string): Promise<Uint8Array> {
    await this.#check(path, "read", syscall);
    try {
      return await this.#sandbox.readFile(path);
    } catch {
      throw await this.#missing(path);
    }
  }

  async read(path: string, syscall: string): Promise<string> {
    return new TextDecoder().decode(await this.readBytes(path, syscall));
  }

  /** Decides a write before the command runs, as a shell opens its redirections first. */
  async checkWrite(path: string, syscall: string): Promise<void> {
    await this.#check(path, "write", syscall);
    if (!(await this.isFolder(parentOf(path)))) throw new ShellError(`${path}: No such file or directory`);
  }

  /**
   * Writes a file whose write `checkWrite` allowed when the redirection was
   * opened (like a descriptor opened for writing); appending keeps what was there.
   */
  async commit(path: string, text: string, append: boolean): Promise<void> {
    const before = append ? await this.#sandbox.readFile(path).then((b) => new TextDecoder().decode(b), () => "") : "";
    try {
      await this.#sandbox.writeFile(path, before + text);
    } catch (error) {
      throw new ShellError(`${path}: cannot write (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /** A folder's entries, for globbing: reading a folder is reading it, so it is decided like a file. */
  async list(path: string): Promise<FolderEntry[]> {
    await this.#check(path, "read", "shell glob");
    return this.#sandbox.list(path).catch(() => []);
  }

  /** Whether `path` is a folder (for `cd`): an existence check, not a read of anything in it. */
  async isFolder(path: string): Promise<boolean> {
    return this.#sandbox.list(path).then(
      () => true,
      () => false,
    );
  }

  /** What is at `path` (for `test -e/-f/-d`): telling whether something exists is reading it. */
  async kindOf(path: string): Promise<FolderEntry["kind"] | undefined> {
    await this.#check(path, "read", "shell test");
    if (path === "/") return "directory";
    const siblings = await this.#sandbox.list(parentOf(path)).catch(() => []);
    return siblings.find((e) => e.name === baseName(path))?.kind;
  }

  async #check(path: string, access: FileAccess, syscall: string): Promise<void> {
    const request: AccessRequest = { capability: "file", path, access };
    const verdict = decide(this.#policy, request);
    let decision: "allow" | "deny" = verdict.decision === "ask" ? "deny" : verdict.decision;
    if (verdict.decision === "ask" && this.#ask) decision = (await this.#ask(request, syscall).catch(() => "deny")) === "deny" ? "deny" : "allow";
    this.#record({ time: Date.now(), runId: SHELL_RUN_ID, capability: "file", resource: path, decision, rule: verdict.rule, syscall });
    if (decision === "deny") throw new ShellError(`${path}: Permission denied`);
  }

  async #missing(path: string): Promise<ShellError> {
    const siblings = await this.#sandbox.list(parentOf(path)).catch(() => []);
    const entry = siblings.find((e) => e.name === baseName(path));
    if (!entry) return new ShellError(`${path}: No such file or directory`);
    return new ShellError(entry.kind === "directory" ? `${path}: Is a directory` : `${path}: cannot read`);
  }
}
