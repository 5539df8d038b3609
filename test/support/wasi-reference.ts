import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WASI } from "node:wasi";

export interface ReferenceRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ReferenceOptions {
  /** After the program name. */
  args?: readonly string[];
  env?: Readonly<Record<string, string>>;
  stdin?: string;
  /** The host folder preopened as "/"; a fresh empty one when absent. */
  root?: string;
}

/**
 * Runs a WASI preview1 command under Node's own implementation (`node:wasi`,
 * uvwasi over the real filesystem), the reference the gated host is compared
 * with. Synchronous: stdio are temporary files, read back when the guest ends.
 */
export function runReference(module: WebAssembly.Module, name: string, options: ReferenceOptions = {}): ReferenceRun {
  const io = mkdtempSync(join(tmpdir(), "playpen-wasi-ref-io-"));
  const root = options.root ?? mkdtempSync(join(tmpdir(), "playpen-wasi-ref-"));
  writeFileSync(join(io, "stdin"), options.stdin ?? "");
  const fds = ["stdin", "stdout", "stderr"].map((file, i) => openSync(join(io, file), i === 0 ? "r" : "w"));
  try {
    const wasi = new WASI({
      version: "preview1",
      args: [name, ...(options.args ?? [])],
      env: { ...options.env },
      preopens: { "/": root },
      stdin: fds[0],
      stdout: fds[1],
      stderr: fds[2],
      returnOnExit: true,
    });
    const instance = new WebAssembly.Instance(module, wasi.getImportObject() as WebAssembly.Imports);
    const exitCode = wasi.start(instance);
    return { exitCode, stdout: readFileSync(join(io, "stdout"), "utf8"), stderr: readFileSync(join(io, "stderr"), "utf8") };
  } finally {
    for (const fd of fds) closeSync(fd);
    rmSync(io, { recursive: true, force: true });
    if (options.root === undefined) rmSync(root, { recursive: true, force: true });
  }
}
