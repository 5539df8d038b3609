import type { AccessRequest, AuditEvent, FileAccess } from "../capabilities.ts";
import type { AskAnswer } from "../types.ts";
import type { FolderEntry, Sandbox } from "../engine/engine.ts";
import { auditEvent, COMMAND_NOT_FOUND_RULE, decide, type Policy } from "../policy/index.ts";
import { ShellError } from "./errors.ts";
import { baseName, parentOf } from "./paths.ts";

/** The run id of the shell's own decisions in the audit log; commands have their engine's ids. */
export const SHELL_RUN_ID = "shell";

/**
 * The files the shell itself touches — redirections, globs, script files,
 * `.wasm` commands — read and written through the sandbox's host API. The
 * guest-facing engines never see these accesses, so each is decided here by the
 * run's policy, the same `decide` the gated WASI host uses, and audited.
 * One check, one act: a path is resolved once (`Sandbox.realPath`, symlinks
 * included), the resolved path is decided, and only that path is read, written
 * or listed — the host API never follows a symlink itself.
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
    const real = await this.#checked(path, "read", syscall);
    try {
      return await this.#sandbox.readFile(real);
    } catch {
      throw await this.#missing(path, real);
    }
  }

  async read(path: string, syscall: string): Promise<string> {
    return new TextDecoder().decode(await this.readBytes(path, syscall));
  }

  /**
   * Decides a write before the command runs, as a shell opens its redirections
   * first; returns the resolved path that was decided, the one `commit` writes.
   */
  async checkWrite(path: string, syscall: string): Promise<string> {
    const real = await this.#checked(path, "write", syscall);
    if (!(await this.isFolder(parentOf(real)))) throw new ShellError(`${path}: No such file or directory`);
    return real;
  }

  /**
   * Writes the file at a path `checkWrite` resolved and allowed when the
   * redirection was opened (like a descriptor opened for writing); appending
   * keeps what was there. Refused if a symlink has appeared on that path since.
   */
  async commit(real: string, text: string, append: boolean): Promise<void> {
    const before = append ? await this.#sandbox.readFile(real).then((b) => new TextDecoder().decode(b), () => "") : "";
    try {
      await this.#sandbox.writeFile(real, before + text);
    } catch (error) {
      throw new ShellError(`${real}: cannot write (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /** A folder's entries, for globbing: reading a folder is reading it, so it is decided like a file. */
  async list(path: string): Promise<FolderEntry[]> {
    const real = await this.#checked(path, "read", "shell glob");
    return this.#sandbox.list(real).catch(() => []);
  }

  /** Whether `path` is a folder (for `cd`): an existence check, not a read of anything in it. */
  async isFolder(path: string): Promise<boolean> {
    return this.#sandbox.list(await this.#sandbox.realPath(path)).then(
      () => true,
      () => false,
    );
  }

  /** What is at `path` (for `test -e/-f/-d`): telling whether something exists is reading it. */
  async kindOf(path: string): Promise<FolderEntry["kind"] | undefined> {
    const real = await this.#checked(path, "read", "shell test");
    if (real === "/") return "directory";
    const siblings = await this.#sandbox.list(parentOf(real)).catch(() => []);
    return siblings.find((e) => e.name === baseName(real))?.kind;
  }

  /**
   * Decides starting a command by the `commands` rules (audited): a ShellError
   * (126) when refused. A command the sandbox does not have is audited as a
   * denial too, and fails as "command not found" (127).
   */
  async startCommand(name: string, found: boolean): Promise<void> {
    const request: AccessRequest = { capability: "command", name };
    if (!found) {
      this.#record(auditEvent(SHELL_RUN_ID, request, "deny", COMMAND_NOT_FOUND_RULE, "exec"));
      throw new ShellError(`${name}: command not found`, 127);
    }
    const event = await this.#decided(request, "exec");
    if (event.decision === "deny") throw new ShellError(`${name}: Permission denied by ${event.rule}; ${event.fix?.text}`, 126);
  }

  /** Resolves `path` once and decides the result: the path to act on, or a ShellError naming the path given. */
  async #checked(path: string, access: FileAccess, syscall: string): Promise<string> {
    const real = await this.#sandbox.realPath(path);
    const event = await this.#decided({ capability: "file", path: real, access }, syscall);
    if (event.decision === "deny") throw new ShellError(`${path}: Permission denied by ${event.rule}; ${event.fix?.text}`);
    return real;
  }

  /** The policy's decision (asked when a rule says so), audited. */
  async #decided(request: AccessRequest, syscall: string): Promise<AuditEvent> {
    const verdict = decide(this.#policy, request);
    let decision: "allow" | "deny" = verdict.decision === "ask" ? "deny" : verdict.decision;
    if (verdict.decision === "ask" && this.#ask) decision = (await this.#ask(request, syscall).catch(() => "deny")) === "deny" ? "deny" : "allow";
    const event = auditEvent(SHELL_RUN_ID, request, decision, verdict.rule, syscall);
    this.#record(event);
    return event;
  }

  async #missing(path: string, real: string): Promise<ShellError> {
    const siblings = await this.#sandbox.list(parentOf(real)).catch(() => []);
    const entry = siblings.find((e) => e.name === baseName(real));
    if (!entry) return new ShellError(`${path}: No such file or directory`);
    return new ShellError(entry.kind === "directory" ? `${path}: Is a directory` : `${path}: cannot read`);
  }
}
