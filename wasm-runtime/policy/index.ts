/** The policy layer: what a run may touch, and the one function that decides it. */
export {
  DEFAULT_LIMITS,
  DEFAULT_PROTECTED_PATHS,
  MAX_MEMORY_MIB,
  PolicyError,
  RUNTIME_ROOT,
  WORKSPACE_ROOT,
  parsePolicy,
  parsePolicyJson,
  policySchema,
  type AlertThresholds,
  type Decoys,
  type EnvRule,
  type FileRule,
  type Limits,
  type NetworkRule,
  type Policy,
  type PolicyInput,
  type PolicyIssue,
  type RuleDecision,
  type SecretRule,
  type ToolRule,
  type CommandRule,
} from "./schema.ts";
export { COMMAND_NOT_FOUND_RULE, DEFAULT_RULE, INVALID_HOST_RULE, PROCESS_CONTROL_RULE, INVALID_PATH_RULE, RUNTIME_RULE, compilePolicy, decide, type PolicyDecider } from "./decide.ts";
export { PROTECTED_IN_MOUNTS, PROTECTED_RULE, type MountGrant } from "./protected.ts";
export { DEFAULT_POLICY, PRESETS, type Preset, type PresetId } from "./presets.ts";
export { POLICY_FLAGS, parseFlagValue, parsePolicyFlags, policyFromFlags, type FlagValue, type PolicyFlags } from "./flags.ts";
export { describePolicy } from "./describe.ts";
export {
  ANSWERED_RULE,
  auditEvent,
  denialsOf,
  explainDenial,
  fixFor,
  rateLimitRule,
  withFragment,
  type Denial,
  type DenialFix,
  type PolicyFragment,
} from "./denial.ts";
export { LEARN_MARGINS, learningPolicy, learnPolicy, requestOf, type LearnRecord } from "./learn.ts";
export { decisionCount, foldAudit, isRuntimeRead } from "./audit-fold.ts";
