import type { EngineName, Language } from "../../wasm-runtime/index.ts";
import { DEFAULT_TIMEOUT_MS } from "../../wasm-runtime/index.ts";
import { DEFAULT_POLICY, policyFromFlags, POLICY_FLAGS, type Policy, type PolicyFlags } from "../../wasm-runtime/policy/index.ts";

/** The page's setup for one run, as `playpen run` would take it. */
export interface CliSetup {
  /** The program's file name (main.py, hello.wasm…). */
  file: string;
  language: Language;
  /** The program's text, written to `file` first; absent for a module (it cannot be pasted). */
  code?: string;
  args: readonly string[];
  engine: EngineName;
  policy: Policy;
  timeoutMs: number;
  /** Names only: `--secret NAME` takes the value from the caller's environment, so no value is ever copied. */
  secretNames: readonly string[];
  tools: readonly { name: string; source: string }[];
  trace: boolean;
}

const SAFE = /^[\w@%+=:,./-]+$/;
/** One word for a POSIX shell. */
export function shellQuote(word: string): string {
  return word !== "" && SAFE.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A here-document writing `text` to `file`, with a delimiter the text does not contain as a line. */
function hereDoc(file: string, text: string): string {
  let delimiter = "EOF";
  for (let i = 1; text.split("\n").includes(delimiter); i++) delimiter = `EOF${i}`;
  return `cat > ${shellQuote(file)} <<'${delimiter}'\n${text.endsWith("\n") ? text : `${text}\n`}${delimiter}`;
}

type ListName = "files" | "network" | "env" | "secrets" | "tools";
const LISTS: readonly ListName[] = ["files", "network", "env", "secrets", "tools"];
const FLAG_OF = Object.fromEntries(Object.entries(POLICY_FLAGS).map(([spelling, key]) => [key, spelling])) as Record<keyof PolicyFlags, string>;

/** The rule as a flag value (and which flag), or null when no flag says exactly this rule. */
function flagFor(list: ListName, rule: Record<string, unknown>): [keyof PolicyFlags, string] | null {
  const deny = rule.decision === "deny";
  if (rule.decision === "ask" || rule.note !== undefined) return null;
  if (list === "files") {
    if (rule.access === "none") return null;
    const key = (deny ? (rule.access === "read" ? "denyRead" : "denyWrite") : rule.access === "read" ? "allowRead" : "allowWrite") as keyof PolicyFlags;
    return [key, String(rule.path)];
  }
  if (list === "network") {
    if (rule.methods !== undefined || rule.pathPrefix !== undefined) return null;
    const host = String(rule.host).includes(":") ? `[${String(rule.host)}]` : String(rule.host);
    return [deny ? "denyNet" : "allowNet", rule.port === undefined ? String(rule.host) : `${host}:${String(rule.port)}`];
  }
  if (Object.keys(rule).some((k) => k !== "name" && k !== "decision")) return null;
  const suffix = { env: "Env", secrets: "Secret", tools: "Tool" }[list];
  return [`${deny ? "deny" : "allow"}${suffix}` as keyof PolicyFlags, String(rule.name)];
}

const canonical = (policy: Policy) => JSON.stringify({ ...policy, name: undefined, note: undefined, ...Object.fromEntries(LISTS.map((l) => [l, policy[l].map((r) => JSON.stringify(r)).sort()])) });

/** The policy as --allow-/--deny- flags (unquoted words) when they say exactly it (checked by rebuilding it from them); else null. */
export function policyAsFlags(policy: Policy): string[] | null {
  const flags: PolicyFlags = {};
  for (const list of LISTS) {
    const base = new Set(DEFAULT_POLICY[list].map((r) => JSON.stringify(r)));
    for (const rule of policy[list] as readonly Record<string, unknown>[]) {
      if (base.has(JSON.stringify(rule))) continue;
      const flag = flagFor(list, rule);
      if (!flag) return null;
      const [key, value] = flag;
      flags[key] = [...((flags[key] as string[] | undefined) ?? []), value];
    }
  }
  try {
    if (canonical(policyFromFlags(DEFAULT_POLICY, flags)) !== canonical(policy)) return null;
  } catch {
    return null;
  }
  return (Object.entries(flags) as [keyof PolicyFlags, string[]][]).map(([key, values]) => `${FLAG_OF[key]}=${values.join(",")}`);
}

/** Shell lines that run the page's current setup with the CLI: files written first, then `playpen run`. */
export function cliCommand(setup: CliSetup): string {
  const lines: string[] = [];
  if (setup.code !== undefined) lines.push(hereDoc(setup.file, setup.code));
  const flags = policyAsFlags(setup.policy);
  if (!flags) lines.push(hereDoc("policy.json", JSON.stringify(setup.policy, null, 2)));
  const words = ["playpen", "run", "--engine", setup.engine];
  if (setup.language !== "wasm" && !setup.file.includes(".")) words.push("--lang", setup.language);
  if (setup.timeoutMs !== DEFAULT_TIMEOUT_MS) words.push("--timeout", String(setup.timeoutMs));
  words.push(...(flags?.map(shellQuote) ?? ["--policy", "policy.json"]));
  for (const name of setup.secretNames) words.push("--secret", shellQuote(name));
  for (const tool of setup.tools) {
    lines.push(hereDoc(`${tool.name}.js`, tool.source));
    words.push("--tool", shellQuote(`${tool.name}=${tool.name}.js`));
  }
  if (setup.trace) words.push("--trace", "trace.jsonl");
  words.push(shellQuote(setup.file), ...setup.args.map(shellQuote));
  lines.push(words.join(" "));
  return `${lines.join("\n")}\n`;
}
