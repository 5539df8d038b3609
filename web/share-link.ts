import type { Language } from "../wasm-runtime/index.ts";
import { SOURCE_LANGUAGES } from "../wasm-runtime/languages/index.ts";

/** What a share link restores: enough to rerun the same thing. */
export interface SharedSession {
  language: Language;
  /** Source code, or for `wasm` the example program's name. */
  code: string;
  args: string;
  stdin: string;
}

const LANGUAGES: readonly Language[] = [...SOURCE_LANGUAGES, "wasm"];

/** Encodes a session as a URL hash (`#s=` + base64url of UTF-8 JSON): no server stores it. */
export function encodeSession(session: SharedSession): string {
  const bytes = new TextEncoder().encode(JSON.stringify(session));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return `#s=${btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
}

/** Reads a session from a URL hash; null when the hash holds none or it is damaged. */
export function decodeSession(hash: string): SharedSession | null {
  const match = /^#s=([A-Za-z0-9_-]+)$/.exec(hash);
  if (!match?.[1]) return null;
  try {
    const binary = atob(match[1].replace(/-/g, "+").replace(/_/g, "/"));
    const json: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    return isSession(json) ? json : null;
  } catch {
    return null;
  }
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
