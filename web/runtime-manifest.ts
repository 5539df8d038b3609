import { z } from "zod";
import { C_LANGUAGE } from "../wasm-runtime/languages/c.ts";
import { INTERPRETERS, type SourceLanguage } from "../wasm-runtime/languages/index.ts";

/**
 * public/runtimes/manifest.json, as scripts/build-runtimes.ts writes it: the
 * runtimes this build serves, and the ones it skipped with the reason.
 */
const ManifestSchema = z.object({
  runtimes: z.array(
    z.object({
      name: z.string(),
      version: z.string(),
      source: z.string(),
      file: z.string(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      size: z.number().int().nonnegative(),
      commands: z.array(z.string()).optional(),
    }),
  ),
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
});

export type RuntimeManifest = z.infer<typeof ManifestSchema>;
export type RuntimeEntry = RuntimeManifest["runtimes"][number];

let manifest: Promise<RuntimeManifest> | undefined;

/** The manifest, fetched once per page (revalidated with the server: a new build changes it); a bad one is an error naming the field. */
export function loadRuntimeManifest(): Promise<RuntimeManifest> {
  manifest ??= fetchManifest();
  manifest.catch(() => (manifest = undefined));
  return manifest;
}

async function fetchManifest(): Promise<RuntimeManifest> {
  const url = new URL(`${import.meta.env.BASE_URL}runtimes/manifest.json`, self.location.origin);
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(`could not load ${url.pathname}: HTTP ${response.status}`);
  const parsed = ManifestSchema.safeParse(await response.json());
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
    throw new Error(`${url.pathname} is not a runtime manifest: ${problems.join("; ")}`);
  }
  return parsed.data;
}

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
