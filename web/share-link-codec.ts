import type { Language } from "../wasm-runtime/index.ts";

/**
 * The share link's encoding, with no dependencies: the app reads links
 * (share-link.ts checks what they hold) and `<playpen-run>` writes them for
 * "Open in Playpen" without loading the language registry.
 */

/** What a share link restores: enough to rerun the same thing. */
export interface SharedSession {
  language: Language;
  /** Source code, or for `wasm` the example program's name. */
  code: string;
  args: string;
  stdin: string;
}

/** Encodes a session as a URL hash (`#s=` + base64url of UTF-8 JSON): no server stores it. */
export function encodeSession(session: SharedSession): string {
  const bytes = new TextEncoder().encode(JSON.stringify(session));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return `#s=${btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
}

/** The JSON a `#s=` hash carries, unchecked; undefined when there is none or it is damaged. */
export function decodeSessionJson(hash: string): unknown {
  const match = /^#s=([A-Za-z0-9_-]+)$/.exec(hash);
  if (!match?.[1]) return undefined;
  try {
    const binary = atob(match[1].replace(/-/g, "+").replace(/_/g, "/"));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    return undefined;
  }
}
