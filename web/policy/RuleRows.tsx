import type { PolicyIssue } from "../../wasm-runtime/policy/index.ts";
import type { RuleHint, RuleList } from "./policy-hints.ts";

type Raw = Record<string, unknown>;

/** The rule lists shown as rows: the field naming what a rule is about, and a new rule to start from. */
const LISTS: readonly { list: RuleList; title: string; key: "path" | "host" | "name"; placeholder: string; fresh: Raw }[] = [
  { list: "files", title: "Files", key: "path", placeholder: "/workspace/**", fresh: { path: "/workspace/**", access: "read" } },
  { list: "network", title: "Network (through the http tool)", key: "host", placeholder: "api.example.com", fresh: { host: "api.example.com" } },
  { list: "env", title: "Environment variables", key: "name", placeholder: "NAME", fresh: { name: "" } },
  { list: "secrets", title: "Secrets (read through the secrets tool)", key: "name", placeholder: "API_KEY", fresh: { name: "" } },
  { list: "tools", title: "Host tools", key: "name", placeholder: "http", fresh: { name: "" } },
];

interface Props {
  /** The policy's JSON text; the rows edit it and hand back the new text. */
  text: string;
  onText: (text: string) => void;
  /** The schema's complaints (when the document is invalid), shown on the row they are about. */
  issues: readonly PolicyIssue[];
  hints: readonly RuleHint[];
}

/**
 * The policy's rules as rows (what, access, decision) beside the JSON: every
 * edit here rewrites the JSON, and every JSON edit shows here; fields the rows
 * do not show (notes, methods, limits…) are kept as they are.
 */
export function RuleRows({ text, onText, issues, hints }: Props) {
  let doc: Raw;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
    doc = parsed as Raw;
  } catch {
    return <p className="muted" data-testid="policy-rules-unreadable">The rules show here once the JSON below reads as a JSON object.</p>;
  }
  const rulesOf = (list: RuleList): Raw[] => (Array.isArray(doc[list]) ? (doc[list] as Raw[]) : []);
  const write = (list: RuleList, rules: Raw[]) => onText(JSON.stringify({ ...doc, [list]: rules }, null, 2));
  const update = (list: RuleList, index: number, field: string, value: unknown) =>
    write(
      list,
      rulesOf(list).map((rule, i) => {
        if (i !== index) return rule;
        const next: Raw = { ...rule, [field]: value };
        // Defaults stay implicit: an allow rule needs no decision, a rule for any port no port.
        if (value === undefined || (field === "decision" && value === "allow")) delete next[field];
        return next;
      }),
    );
  return (
    <div className="rule-lists" data-testid="policy-rules">
      {LISTS.map(({ list, title, key, placeholder, fresh }) => {
        const rules = rulesOf(list);
        return (
          <fieldset key={list} className="rule-list" data-list={list}>
            <legend>
              {title} <span className="muted">{rules.length === 0 ? "· none granted" : `· ${rules.length}`}</span>
            </legend>
            {rules.map((rule, index) => {
              const rowIssues = issues.filter((issue) => issue.path === `${list}[${index}]` || issue.path.startsWith(`${list}[${index}].`));
              const rowHints = hints.filter((hint) => hint.list === list && hint.index === index);
              return (
                <div key={index} className="rule-row" data-testid={`rule-${list}-${index}`}>
                  <div className="rule-fields">
                    <input
                      className="rule-what"
                      value={typeof rule[key] === "string" ? (rule[key] as string) : ""}
                      placeholder={placeholder}
                      onChange={(e) => update(list, index, key, e.target.value)}
                      aria-label={`${list}[${index}] ${key}`}
                      spellCheck={false}
                    />
                    {list === "files" && (
                      <select value={String(rule.access ?? "read")} onChange={(e) => update(list, index, "access", e.target.value)} aria-label={`${list}[${index}] access`} title="write also lets the guest read; none denies both">
                        <option value="read">read</option>
                        <option value="write">write</option>
                        <option value="none">none</option>
                      </select>
                    )}
                    {list === "network" && (
                      <input
                        className="rule-port"
                        type="number"
                        min={1}
                        max={65535}
                        placeholder="any port"
                        value={typeof rule.port === "number" ? rule.port : ""}
                        onChange={(e) => update(list, index, "port", e.target.value === "" ? undefined : Number(e.target.value))}
                        aria-label={`${list}[${index}] port`}
                      />
                    )}
                    {!(list === "files" && rule.access === "none") && (
                      <select className={`rule-decision ${String(rule.decision ?? "allow")}`} value={String(rule.decision ?? "allow")} onChange={(e) => update(list, index, "decision", e.target.value)} aria-label={`${list}[${index}] decision`}>
                        <option value="allow">allow</option>
                        <option value="ask">ask</option>
                        <option value="deny">deny</option>
                      </select>
                    )}
                    <button type="button" className="rule-remove" onClick={() => write(list, rules.filter((_, i) => i !== index))} aria-label={`Remove ${list}[${index}]`} title="Remove this rule">
                      ✕
                    </button>
                  </div>
                  {rowIssues.map((issue) => (
                    <p key={issue.path + issue.message} className="rule-issue" role="alert">
                      {issue.path.slice(`${list}[${index}]`.length).replace(/^\./, "") || "rule"}: {issue.message}
                    </p>
                  ))}
                  {rowHints.map((hint) => (
                    <p key={hint.message} className={`rule-hint ${hint.severity}`} data-testid="rule-hint">
                      {hint.message}
                    </p>
                  ))}
                </div>
              );
            })}
            <button type="button" className="rule-add" onClick={() => write(list, [...rules, fresh])} data-testid={`rule-add-${list}`}>
              + rule
            </button>
          </fieldset>
        );
      })}
    </div>
  );
}
