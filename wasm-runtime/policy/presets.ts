/**
 * The preset ladder, from open to locked down. Each rung takes something away
 * from the one before; a user starts from a rung and tightens further.
 * Explicit `deny` rules in the lower rungs are locks: since deny beats allow,
 * a grant added later (by hand or with an --allow-* flag) cannot reopen them.
 */
import { parsePolicy, WORKSPACE_ROOT, type Policy } from "./schema.ts";

export type PresetId = "open" | "workspace" | "no-network" | "locked";

export interface Preset {
  id: PresetId;
  label: string;
  /** One line for the page and `--help`. */
  description: string;
  policy: Policy;
}

const workspaceRw = { path: `${WORKSPACE_ROOT}/**`, access: "write" } as const;
const denyAll = { name: "*", decision: "deny" } as const;

/** Workspace only: what a run gets when nobody chose a policy. */
export const DEFAULT_POLICY: Policy = parsePolicy({ version: 1, name: "Workspace only", files: [workspaceRw] });

const ladder: Preset[] = [
  {
    id: "open",
    label: "Open",
    description: "Everything the sandbox offers: all files, any host, every variable, secret and tool.",
    policy: parsePolicy({
      version: 1,
      name: "Open",
      files: [{ path: "/**", access: "write" }],
      network: [{ host: "*" }],
      env: [{ name: "*" }],
      secrets: [{ name: "*" }],
      tools: [{ name: "*" }],
    }),
  },
  {
    id: "workspace",
    label: "Workspace only",
    description: "Read and write /workspace; nothing else is granted: no network, variables, secrets or tools.",
    policy: DEFAULT_POLICY,
  },
  {
    id: "no-network",
    label: "No network",
    description: "Workspace only, with the network locked: no later grant can open it.",
    policy: parsePolicy({
      version: 1,
      name: "No network",
      files: [workspaceRw],
      network: [{ host: "*", decision: "deny" }],
    }),
  },
  {
    id: "locked",
    label: "Locked down",
    description: "Read-only /workspace; writes, network, variables, secrets and tools locked; 100 ms clock, seeded random, tight limits.",
    policy: parsePolicy({
      version: 1,
      name: "Locked down",
      files: [
        { path: `${WORKSPACE_ROOT}/**`, access: "read" },
        { path: "/**", access: "write", decision: "deny" },
      ],
      network: [{ host: "*", decision: "deny" }],
      env: [denyAll],
      secrets: [denyAll],
      tools: [denyAll],
      // Coarse clocks and a fixed seed blunt timing side channels and make runs reproducible.
      clock: { resolutionMs: 100 },
      random: { seed: 0 },
      limits: { wallMs: 5_000, memoryMiB: 256, stdoutBytes: 64 * 1024, stderrBytes: 64 * 1024, workspaceBytes: 16 * 1024 * 1024, hostCallsPerSecond: 10 },
    }),
  },
];

/** Ordered from most to least permissive. */
export const PRESETS: readonly Readonly<Preset>[] = Object.freeze(ladder.map((preset) => Object.freeze(preset)));
