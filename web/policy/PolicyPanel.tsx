import type { ReactNode } from "react";
import { describePolicy, PRESETS } from "../../wasm-runtime/policy/index.ts";
import type { PolicyDraft } from "./policy-draft.ts";

interface Props {
  draft: PolicyDraft;
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
export function PolicyPanel({ draft, onText, onPreset, secrets, onSecrets, onLearn, learnBlocked, learned }: Props) {
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
