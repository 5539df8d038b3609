import { ModuleError } from "../../wasm-runtime/module/index.ts";

/** The ModuleError `run` throws; fails the test if it throws nothing or something else. */
export function errorOf(run: () => unknown): ModuleError {
  try {
    run();
  } catch (error) {
    if (error instanceof ModuleError) return error;
    throw error;
  }
  throw new Error("expected a ModuleError");
}
