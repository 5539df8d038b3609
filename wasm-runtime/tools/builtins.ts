import { http } from "./http.ts";
import { kv } from "./kv.ts";
import { secrets } from "./secrets.ts";
import type { BuiltinTool } from "./tool.ts";

/** The tools every gated sandbox offers; their names cannot be taken by user tools. */
export const BUILTIN_TOOLS: Readonly<Record<string, BuiltinTool>> = Object.freeze({ http, kv, secrets });
