import type { EngineName, RunResult } from "../../wasm-runtime/index.ts";
import { parsePolicyJson, PRESETS, type Policy } from "../../wasm-runtime/policy/index.ts";
import { SandboxClient } from "../sandbox/client.ts";

/**
 * The sandbox behind one `<playpen-run>`, loaded on its first Run. Each element
 * has its own sandbox worker, so one snippet's runaway never holds up another;
 * the runtimes are fetched by hashed URL from the browser's cache, so several
 * snippets in one language share one download.
 */
export interface EmbedSettings {
  language: "python" | "javascript" | "sql" | "lua" | "ruby" | "c" | "shell";
  engine: EngineName;
  /** A preset id (`locked-down` names `locked`) or inline policy JSON. */
  policy: string;
  timeoutMs?: number;
  /** A scenario JSON whose `files` ({path: text}) land in /workspace. */
  filesUrl?: string;
}

export interface EmbedRun {
  result: Promise<RunResult>;
  stop(): void;
}

export interface EmbedRunner {
  run(code: string, stdin: string, on: { output(stream: "stdout" | "stderr", text: string): void; progress(text: string): void }): EmbedRun;
}

const PRESET_ALIASES: Record<string, string> = { "locked-down": "locked" };

/** The policy an attribute names; an unknown preset or a bad document is an error naming what is wrong. */
export function embedPolicy(attribute: string): Policy {
  const text = attribute.trim();
  if (text.startsWith("{")) return parsePolicyJson(text);
  const id = PRESET_ALIASES[text] ?? text;
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`unknown policy "${text}": a preset (${PRESETS.map((p) => p.id).join(", ")}, locked-down) or policy JSON`);
  return preset.policy;
}

export async function createEmbedRunner(settings: EmbedSettings): Promise<EmbedRunner> {
  const policy = embedPolicy(settings.policy);
  const files = settings.filesUrl ? await scenarioFiles(settings.filesUrl) : {};
  const client = new SandboxClient({ files }, settings.engine);
  let prepared: Promise<void> | undefined;
  return {
    run(code, stdin, on) {
      const result = (async () => {
        prepared ??= client.prepare(settings.language, (p) => on.progress(`loading ${p.runtime}… ${p.total ? Math.round((100 * p.loaded) / p.total) : ""}%`));
        await prepared.catch((error: unknown) => {
          prepared = undefined; // try again on the next Run
          throw error;
        });
        on.progress("running…");
        return client.run(
          { program: { language: settings.language, code }, stdin, policy, timeoutMs: settings.timeoutMs ?? policy.limits.wallMs },
          { output: on.output },
        );
      })();
      return { result, stop: () => client.stop() };
    },
  };
}

async function scenarioFiles(url: string): Promise<Record<string, string>> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load the files ${url}: HTTP ${response.status}`);
  const scenario = (await response.json()) as { files?: unknown };
  const files = scenario.files;
  if (typeof files !== "object" || files === null || Object.values(files).some((v) => typeof v !== "string")) {
    throw new Error(`${url} has no "files" object of path → text`);
  }
  return files as Record<string, string>;
}
