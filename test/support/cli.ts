import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Tests and benches drive the real CLI, as a user's shell would: one process per command. */
export const PLAYPEN_BIN = path.resolve("cli/bin/playpen.mjs");

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
  /** The command outlived `timeoutMs` and was killed. */
  timedOut?: boolean;
}

export interface CliOptions {
  cwd: string;
  /** The daemon's socket folder: each test file has its own daemon. */
  daemonDir: string;
  /** PLAYPEN_NO_DAEMON=1: the whole run in the client's process (a cold start: slow). */
  inProcess?: boolean;
  /** Written to the command's stdin, then closed; "left open" never closes it. */
  stdin?: string | "left open";
  env?: Record<string, string>;
  timeoutMs?: number;
  maxBuffer?: number;
}

/** Runs `playpen ARGS…` and resolves with its exit code and output (never rejects). */
export function runPlaypen(args: string[], options: CliOptions): Promise<CliOutcome> {
  const env = { ...process.env, ...options.env, PLAYPEN_DAEMON_DIR: options.daemonDir, PLAYPEN_NO_DAEMON: options.inProcess ? "1" : "" };
  const execOptions = { env, cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, maxBuffer: options.maxBuffer ?? 16 << 20 };
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [PLAYPEN_BIN, ...args], execOptions, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr, ...(error?.killed && { timedOut: true }) }),
    );
    if (options.stdin !== "left open") child.stdin!.end(options.stdin ?? "");
  });
}

/** A private folder for one test file: its files and its daemon's socket folder (removing it ends the daemon). */
export interface Scratch {
  dir: string;
  daemonDir: string;
  /** Writes `name` (folders made as needed) and returns its full path. */
  file(name: string, content: string | Uint8Array): string;
  remove(): void;
}

export function scratch(prefix: string): Scratch {
  const dir = mkdtempSync(path.join(process.env.TMPDIR ?? tmpdir(), `playpen-${prefix}-`));
  return {
    dir,
    daemonDir: path.join(dir, "daemon"),
    file(name, content) {
      const full = path.join(dir, name);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, content);
      return full;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
