import { sameBytes } from "../workspace/index.ts";

/**
 * @wasmer/sdk 0.16 takes packages as bytes and compiles them itself, with a
 * synchronous `new WebAssembly.Module(bytes)` at a package's first spawn; it
 * cannot be handed a compiled module. In the page that would throw away the
 * compilation that ran while the runtime downloaded (the one the browser keeps
 * machine code for). So the engine registers each module it compiled together
 * with its exact bytes, and this file's constructor hook makes
 * `new WebAssembly.Module` of those very bytes return that module. Any other
 * bytes compile as usual.
 */
export class CompiledModules {
  readonly #entries: { bytes: Uint8Array; module: WebAssembly.Module }[] = [];

  constructor() {
    installHook();
    registries.add(this);
  }

  /** From now on, compiling exactly `bytes` gives `module`. */
  add(bytes: Uint8Array, module: WebAssembly.Module): void {
    this.#entries.push({ bytes, module });
  }

  find(bytes: Uint8Array): WebAssembly.Module | undefined {
    return this.#entries.find((entry) => sameBytes(entry.bytes, bytes))?.module;
  }

  /** Forgets every module, and lets go of their bytes. */
  dispose(): void {
    this.#entries.length = 0;
    registries.delete(this);
  }
}

const registries = new Set<CompiledModules>();
let hooked = false;

function installHook(): void {
  if (hooked) return;
  hooked = true;
  // A Proxy keeps the statics (imports, exports, customSections) and `instanceof`.
  WebAssembly.Module = new Proxy(WebAssembly.Module, {
    construct(target, args, newTarget) {
      const bytes = bytesOf(args[0]);
      if (bytes) {
        for (const registry of registries) {
          const module = registry.find(bytes);
          if (module) return module;
        }
      }
      return Reflect.construct(target, args, newTarget) as object;
    },
  });
}

function bytesOf(source: unknown): Uint8Array | undefined {
  if (source instanceof Uint8Array) return source;
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  return undefined;
}
