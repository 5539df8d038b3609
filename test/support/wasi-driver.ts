import { describeResource, type AccessRequest, type AuditEvent } from "../../wasm-runtime/capabilities.ts";
import { compilePolicy, type Policy } from "../../wasm-runtime/policy/index.ts";
import type { VirtualFs } from "../../wasm-runtime/vfs/index.ts";
import { Errno, OFlags, Rights } from "../../wasm-runtime/wasi/constants.ts";
import { createWasiHost } from "../../wasm-runtime/wasi/index.ts";
import { DIR_INHERITING, DIR_RIGHTS } from "../../wasm-runtime/wasi/rights.ts";

/**
 * Drives the gated engine's WASI host call by call from JavaScript, as a guest
 * would: a four-function module whose `_start` calls back into `drive`, which
 * then calls the host's real preview1 imports with strings placed in the
 * guest's memory. Tests and the fuzzer use it to make exact call sequences
 * (rename, symlink, open through links, renumber) without a compiler.
 */

/** `(import "env" "drive" (func)) (memory (export "memory") 1) (func (export "_start") call 0)`. */
const DRIVER_MODULE = new WebAssembly.Module(
  new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x02, 0x0d, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x05, 0x64, 0x72, 0x69, 0x76, 0x65, 0x00, 0x00,
    0x03, 0x02, 0x01, 0x00,
    0x05, 0x03, 0x01, 0x00, 0x01,
    0x07, 0x13, 0x02, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x06, 0x5f, 0x73, 0x74, 0x61, 0x72, 0x74, 0x00, 0x01,
    0x0a, 0x06, 0x01, 0x04, 0x00, 0x10, 0x00, 0x0b,
  ]),
);

export { Errno };
/** The preopened `/`. */
export const ROOT_FD = 3;

type Preview1 = Record<string, (...args: (number | bigint)[]) => number>;

const RESULT = 0;
const IOVEC = 16;
const STRINGS = 1024;
const DATA = 8192;
const DATA_MAX = 65536 - DATA;

/** The calls a driven guest makes; each returns the errno, opens and reads their value too. */
export class Calls {
  readonly #wasi: Preview1;
  readonly #memory: WebAssembly.Memory;

  constructor(wasi: Preview1, memory: WebAssembly.Memory) {
    this.#wasi = wasi;
    this.#memory = memory;
  }

  open(path: string, options: { dir?: number; create?: boolean; truncate?: boolean; write?: boolean; directory?: boolean } = {}): { errno: number; fd: number } {
    const [ptr, len] = this.#strings(path)[0]!;
    const oflags = (options.create ? OFlags.CREAT : 0) | (options.truncate ? OFlags.TRUNC : 0) | (options.directory ? OFlags.DIRECTORY : 0);
    // As wasi-libc does: a folder asks for every right a folder holds (PATH_OPEN to open below it…), and each
    // open hands down what a folder may (asking for more is NOTCAPABLE, as under uvwasi).
    const rights = options.directory ? DIR_RIGHTS : Rights.FD_READ | (options.write ? Rights.FD_WRITE : 0n);
    const errno = this.#wasi.path_open!(options.dir ?? ROOT_FD, 1, ptr, len, oflags, rights, DIR_INHERITING, 0, RESULT);
    return { errno, fd: errno === 0 ? this.#view().getUint32(RESULT, true) : -1 };
  }

  /** The whole file at descriptor `fd` from where it is, or the errno. */
  read(fd: number): string | number {
    const view = this.#view();
    view.setUint32(IOVEC, DATA, true);
    view.setUint32(IOVEC + 4, DATA_MAX, true);
    const errno = this.#wasi.fd_read!(fd, IOVEC, 1, RESULT);
    if (errno !== 0) return errno;
    return new TextDecoder().decode(new Uint8Array(this.#memory.buffer, DATA, view.getUint32(RESULT, true)));
  }

  write(fd: number, text: string): number {
    const bytes = new TextEncoder().encode(text);
    new Uint8Array(this.#memory.buffer, DATA, bytes.length).set(bytes);
    const view = this.#view();
    view.setUint32(IOVEC, DATA, true);
    view.setUint32(IOVEC + 4, bytes.length, true);
    return this.#wasi.fd_write!(fd, IOVEC, 1, RESULT);
  }

  close(fd: number): number {
    return this.#wasi.fd_close!(fd);
  }

  renumber(from: number, to: number): number {
    return this.#wasi.fd_renumber!(from, to);
  }

  mkdir(path: string, dir = ROOT_FD): number {
    const [[ptr, len]] = this.#strings(path) as [[number, number]];
    return this.#wasi.path_create_directory!(dir, ptr, len);
  }

  unlink(path: string, dir = ROOT_FD): number {
    const [[ptr, len]] = this.#strings(path) as [[number, number]];
    return this.#wasi.path_unlink_file!(dir, ptr, len);
  }

  rename(from: string, to: string, dirs: [number, number] = [ROOT_FD, ROOT_FD]): number {
    const [[a, aLen], [b, bLen]] = this.#strings(from, to) as [[number, number], [number, number]];
    return this.#wasi.path_rename!(dirs[0], a, aLen, dirs[1], b, bLen);
  }

  /** `target` is stored as given (absolute or relative to the link's folder). */
  symlink(target: string, path: string, dir = ROOT_FD): number {
    const [[t, tLen], [p, pLen]] = this.#strings({ raw: target }, path) as [[number, number], [number, number]];
    return this.#wasi.path_symlink!(t, tLen, dir, p, pLen);
  }

  link(from: string, to: string): number {
    const [[a, aLen], [b, bLen]] = this.#strings(from, to) as [[number, number], [number, number]];
    return this.#wasi.path_link!(ROOT_FD, 0, a, aLen, ROOT_FD, b, bLen);
  }

  /** Opens, reads whole and closes: the text, or the errno of the first call that failed. */
  readFile(path: string): string | number {
    const { errno, fd } = this.open(path);
    if (errno !== 0) return errno;
    const text = this.read(fd);
    this.close(fd);
    return text;
  }

  /** Creates or truncates, writes and closes: the errno of the first call that failed, or 0. */
  writeFile(path: string, text: string): number {
    const { errno, fd } = this.open(path, { create: true, truncate: true, write: true });
    if (errno !== 0) return errno;
    const written = this.write(fd, text);
    this.close(fd);
    return written;
  }

  /** Guest paths are made relative to the root preopen, as wasi-libc passes them; `raw` strings go as they are. */
  #strings(...paths: (string | { raw: string })[]): [number, number][] {
    let at = STRINGS;
    return paths.map((path) => {
      const text = typeof path === "string" ? path.replace(/^\/+/, "") || "." : path.raw;
      const bytes = new TextEncoder().encode(text);
      new Uint8Array(this.#memory.buffer, at, bytes.length).set(bytes);
      const span: [number, number] = [at, bytes.length];
      at += bytes.length;
      return span;
    });
  }

  #view(): DataView {
    return new DataView(this.#memory.buffer);
  }
}

/** A gate deciding with the real decider and recording each decision as the gated engine's audit does (asks are denied). */
export function policyGate(policy: Policy, audit: AuditEvent[] = []): (request: AccessRequest, syscall: string) => boolean {
  const decider = compilePolicy(policy);
  return (request, syscall) => {
    const { decision, rule } = decider.decide(request);
    const final = decision === "allow" ? "allow" : "deny";
    audit.push({ time: 0, runId: "driven", capability: request.capability, resource: describeResource(request), decision: final, rule, syscall });
    return final === "allow";
  };
}

/** Runs `script` as a guest on `fs`: the host, preopen `/` as descriptor 3, and the calls are real. */
export function drive(fs: VirtualFs, gate: (request: AccessRequest, syscall: string) => boolean, script: (calls: Calls) => void): void {
  const host = createWasiHost({ fs, gate });
  const wasi = host.imports.wasi_snapshot_preview1 as Preview1;
  const instance = new WebAssembly.Instance(DRIVER_MODULE, { ...host.imports, env: { drive: () => script(calls) } });
  const calls = new Calls(wasi, instance.exports.memory as WebAssembly.Memory);
  host.start(instance);
}
