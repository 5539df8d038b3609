import { z } from "zod";

/**
 * public/runtimes/manifest.json, as scripts/build-runtimes.ts writes it: the
 * runtimes this build serves, and the ones it skipped with the reason. The page
 * lists languages from it; the sandbox worker names each runtime's URL after its hash.
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

/** The manifest, fetched once per page or worker (revalidated with the server: a new build changes it); a bad one is an error naming the field. */
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
