import { C_LANGUAGE } from "../wasm-runtime/languages/c.ts";
import { INTERPRETERS, type SourceLanguage } from "../wasm-runtime/languages/index.ts";
import type { RuntimeEntry, RuntimeManifest } from "../workers/runtime-manifest.ts";

/** The runtime module a language needs: its interpreter's, busybox for the shell's commands, clang for C. */
export function runtimeOfLanguage(language: SourceLanguage): string {
  if (language === "shell") return "busybox";
  if (language === "c") return C_LANGUAGE.runtime;
  return INTERPRETERS[language].runtime;
}

/** What the page says about a language's runtime: available (with version and size), or why it is not. */
export type RuntimeStatus = { available: true; entry: RuntimeEntry } | { available: false; reason: string };

export function runtimeStatus(manifest: RuntimeManifest, language: SourceLanguage): RuntimeStatus {
  const name = runtimeOfLanguage(language);
  const entry = manifest.runtimes.find((r) => r.name === name);
  if (entry) return { available: true, entry };
  const skipped = manifest.skipped.find((s) => s.name === name);
  return { available: false, reason: skipped ? `not built: this machine lacked ${skipped.reason}` : `the ${name} runtime is not in this build` };
}

export const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;
