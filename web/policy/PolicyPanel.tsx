import { useMemo, type ReactNode } from "react";
import type { EngineName } from "../../wasm-runtime/index.ts";
import { describePolicy, PRESETS } from "../../wasm-runtime/policy/index.ts";
import type { PolicyDraft } from "./policy-draft.ts";
import { engineGaps, policyHints } from "./policy-hints.ts";
import { RuleRows } from "./RuleRows.tsx";

interface Props {
  draft: PolicyDraft;
  /** The engine runs will use: the panel says what of the policy it cannot enforce. */
  engine: EngineName;
  onText: (text: string) => void;
  onPreset: (id: string) => void;
  secrets: readonly { name: string; value: string }[];
  onSecrets: (secrets: { name: string; value: string }[]) => void;
  /** Runs the program in learn mode; `learnBlocked` says why it cannot now (null: it can). */
  onLearn: () => void;
  learnBlocked: string | null;
  /** A learned policy waiting to be applied or discarded. */
  learned?: ReactNode;
}

/** Presets, the policy document, what it means in words, and the run's secrets (never shown in clear). */
export function PolicyPanel({ draft, engine, onText, onPreset, secrets, onSecrets, onLearn, learnBlocked, learned }: Props) {
  const hints = useMemo(() => (draft.policy ? policyHints(draft.policy) : []), [draft.policy]);
  const gaps = useMemo(() => (draft.policy ? engineGaps(engine, draft.policy) : []), [engine, draft.policy]);
  const setSecret = (index: number, field: "name" | "value", value: string) =>
    onSecrets(secrets.map((s, i) => (i === index ? { ...s, [field]: value } : s)));
  return (
    <div className="policy" data-testid="policy">
      <label>
        Start from{" "}
        <select data-testid="policy-preset" value="" onChange={(e) => onPreset(e.target.value)}>
          <option value="" disabled>
            a preset…
          </option>
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id} title={p.description}>
              {p.label}
            </option>
          ))}
        </select>
      </label>{" "}
      <button type="button" onClick={onLearn} disabled={learnBlocked !== null} title={learnBlocked ?? "Runs the program with everything granted and recorded, then proposes the narrowest policy that allows exactly what it did"} data-testid="learn-policy">
        Learn a policy from this run
      </button>
      {learned}
      {gaps.length > 0 && (
        <div className="engine-gaps" role="alert" data-testid="policy-engine-gaps">
          <strong>The {engine} engine cannot enforce this policy, so it refuses to run it.</strong> Switch to the gated engine, or drop:
          <ul>
            {gaps.map((gap) => (
              <li key={gap}>{gap}</li>
            ))}
          </ul>
        </div>
      )}
      {draft.policy && gaps.length === 0 && engine === "wasmer" && (
        <p className="muted" data-testid="policy-engine-note">
          The Wasmer engine enforces this policy as a whole: all of /workspace read-write, no network, no tools, real clock and randomness (see the Engines tab). Ask rules and per-path rules need the gated engine.
        </p>
      )}
      {draft.policy ? (
        <ul className="policy-summary" data-testid="policy-summary">
          {describePolicy(draft.policy).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : (
        <ul className="policy-issues" data-testid="policy-issues" role="alert">
          {draft.issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              <code>{issue.path || "(document)"}</code> {issue.message}
            </li>
          ))}
        </ul>
      )}
      <details className="policy-rules-box" open>
        <summary>Rules (deny beats allow, allow beats ask; order never matters)</summary>
        <RuleRows text={draft.text} onText={onText} issues={draft.issues ?? []} hints={hints} />
      </details>
      <textarea
        className="policy-json"
        data-testid="policy-json"
        value={draft.text}
        onChange={(e) => onText(e.target.value)}
        spellCheck={false}
        aria-label="Policy document (JSON)"
      />
      <fieldset className="secrets" data-testid="secrets">
        <legend>Secrets (the guest sees one only if a rule grants it)</legend>
        {secrets.map((secret, i) => (
          <div key={i} className="secret-row">
            <input placeholder="NAME" value={secret.name} onChange={(e) => setSecret(i, "name", e.target.value)} aria-label="Secret name" />
            <input type="password" placeholder="value" value={secret.value} onChange={(e) => setSecret(i, "value", e.target.value)} aria-label="Secret value" autoComplete="off" />
            <button type="button" onClick={() => onSecrets(secrets.filter((_, j) => j !== i))} aria-label={`Remove secret ${secret.name}`}>
              ✕
            </button>
          </div>
        ))}
        <button type="button" onClick={() => onSecrets([...secrets, { name: "", value: "" }])}>
          + secret
        </button>
      </fieldset>
    </div>
  );
}
