export interface ToolDraft {
  name: string;
  source: string;
}

/** A tool to start from: shows the shape of a tool function. */
export const SAMPLE_TOOL: ToolDraft = {
  name: "lookup_weather",
  source: "async ({ city }) => {\n  // Runs on the host side, outside the sandbox; return JSON-able data.\n  return { city, forecast: \"sunny\", celsius: 21 };\n}",
};

/**
 * The run's own host tools, as JavaScript functions `(args, context) => result`.
 * They run on the host side, unconfined: that is the point (prototyping agent
 * tools), and why they never travel in share links.
 */
export function ToolsPanel({ tools, onTools }: { tools: readonly ToolDraft[]; onTools: (tools: ToolDraft[]) => void }) {
  const update = (index: number, field: keyof ToolDraft, value: string) =>
    onTools(tools.map((t, i) => (i === index ? { ...t, [field]: value } : t)));
  return (
    <div className="tools" data-testid="tools">
      <p className="muted">
        Built in: <code>http</code> (through the network rules), <code>kv</code>, <code>secrets</code>. A guest calls a tool by
        writing JSON to <code>/host/NAME</code> and reading the reply; in Python: <code>import playpen_tools as t; t.call("NAME", …)</code>.
        Each call is a policy decision: grant tools in the Policy tab (<code>"tools": [{"{"}"name": "NAME"{"}"}]</code>).
      </p>
      {tools.map((tool, i) => (
        <fieldset key={i} className="tool">
          <div className="tool-head">
            <input value={tool.name} onChange={(e) => update(i, "name", e.target.value)} aria-label="Tool name" data-testid="tool-name" spellCheck={false} />
            <button type="button" onClick={() => onTools(tools.filter((_, j) => j !== i))} aria-label={`Remove tool ${tool.name}`}>
              ✕
            </button>
          </div>
          <textarea value={tool.source} onChange={(e) => update(i, "source", e.target.value)} rows={6} spellCheck={false} aria-label="Tool function (JavaScript)" data-testid="tool-source" />
        </fieldset>
      ))}
      <button type="button" onClick={() => onTools([...tools, { name: `tool_${tools.length + 1}`, source: SAMPLE_TOOL.source }])} data-testid="tool-add">
        + tool
      </button>
    </div>
  );
}
