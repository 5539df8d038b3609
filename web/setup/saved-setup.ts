import { z } from "zod";
import type { Language } from "../../wasm-runtime/index.ts";
import { SOURCE_LANGUAGES } from "../../wasm-runtime/languages/index.ts";

/**
 * Everything on the page a person set up besides the workspace's files (which
 * IndexedDB keeps): kept per workspace in localStorage, so a reload, or coming
 * back to a workspace, finds the code, tabs, policy and tools as they were.
 * Secret values are never stored.
 */
export interface SavedSetup {
  language: Language;
  /** The editor's text per source language. */
  codes: Partial<Record<string, string>>;
  /** The prebuilt example shown for `wasm` (an uploaded module is not kept). */
  wasmExample: string;
  engine: "wasmer" | "gated";
  policyText: string;
  tools: { name: string; source: string }[];
  args: string;
  stdin: string;
  timeoutText: string;
  tracing: boolean;
  openFiles: string[];
  activeFile: string | null;
}

const LANGUAGES: [Language, ...Language[]] = ["wasm", ...SOURCE_LANGUAGES];

const schema = z.object({
  language: z.enum(LANGUAGES),
  codes: z.record(z.string(), z.string()),
  wasmExample: z.string(),
  engine: z.enum(["wasmer", "gated"]),
  policyText: z.string(),
  tools: z.array(z.object({ name: z.string(), source: z.string() })),
  args: z.string(),
  stdin: z.string(),
  timeoutText: z.string(),
  tracing: z.boolean(),
  openFiles: z.array(z.string()),
  activeFile: z.string().nullable(),
});

const keyOf = (workspace: string) => `playpen.setup.${workspace}`;

/** The setup saved for `workspace`; null when none was, or what was saved no longer reads (a damaged or older entry). */
export function loadSetup(workspace: string, storage: Pick<Storage, "getItem"> = localStorage): SavedSetup | null {
  const text = storage.getItem(keyOf(workspace));
  if (text === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Saves `setup` for `workspace`; false when storage refused it (full, or disabled). */
export function saveSetup(workspace: string, setup: SavedSetup, storage: Pick<Storage, "setItem"> = localStorage): boolean {
  try {
    storage.setItem(keyOf(workspace), JSON.stringify(setup));
    return true;
  } catch {
    return false;
  }
}
