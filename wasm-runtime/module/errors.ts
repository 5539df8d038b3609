export type ModuleErrorKind = "not-wasm" | "unsupported-version" | "truncated" | "invalid" | "not-a-command";

/** A WebAssembly binary that cannot be used; `message` is meant to be shown to the user as is. */
export class ModuleError extends Error {
  readonly kind: ModuleErrorKind;

  constructor(kind: ModuleErrorKind, message: string) {
    super(message);
    this.name = "ModuleError";
    this.kind = kind;
  }
}
