import type { Language } from "../wasm-runtime/index.ts";
import { SOURCE_LANGUAGES } from "../wasm-runtime/languages/index.ts";
import { decodeSessionJson, type SharedSession } from "./share-link-codec.ts";

export { encodeSession, type SharedSession } from "./share-link-codec.ts";

const LANGUAGES: readonly Language[] = [...SOURCE_LANGUAGES, "wasm"];

/** Reads a session from a URL hash; null when the hash holds none or it is damaged. */
export function decodeSession(hash: string): SharedSession | null {
  const json = decodeSessionJson(hash);
  return isSession(json) ? json : null;
}

function isSession(value: unknown): value is SharedSession {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    LANGUAGES.includes(v.language as Language) &&
    typeof v.code === "string" &&
    typeof v.args === "string" &&
    typeof v.stdin === "string"
  );
}
