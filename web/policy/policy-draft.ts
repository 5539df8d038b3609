import { parsePolicyJson, PolicyError, PRESETS, type Policy, type PolicyIssue } from "../../wasm-runtime/policy/index.ts";

/** The policy as the user is editing it: the JSON text, and either the policy it means or what is wrong with it. */
export type PolicyDraft = { text: string; policy: Policy; issues: null } | { text: string; policy: null; issues: PolicyIssue[] };

export function draftOf(text: string): PolicyDraft {
  try {
    return { text, policy: parsePolicyJson(text), issues: null };
  } catch (error) {
    if (error instanceof PolicyError) return { text, policy: null, issues: error.issues };
    throw error;
  }
}

export function presetText(id: string): string {
  const preset = PRESETS.find((p) => p.id === id) ?? PRESETS[1]!;
  return JSON.stringify(preset.policy, null, 2);
}

/** "Allow always": the answered resource becomes an allow rule of the policy being edited. */
export function withAllowRule(policy: Policy, rule: { list: "files" | "network" | "env" | "secrets" | "tools"; rule: object }): string {
  const next = { ...policy, [rule.list]: [...policy[rule.list], rule.rule] };
  return JSON.stringify(next, null, 2);
}
