import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { RunInput, RunReport } from "../../../wasm-runtime/api/index.ts";
import type { Language } from "../../../wasm-runtime/index.ts";
import { SOURCE_LANGUAGES } from "../../../wasm-runtime/languages/index.ts";
import { parsePolicyJson, withFragment, type Policy, type PolicyFragment } from "../../../wasm-runtime/policy/index.ts";
import { describeWidenings, wideningsOf } from "../../../wasm-runtime/policy/widening.ts";
import { AlertReporter } from "../alerts.ts";
import { askThePerson } from "./approval.ts";
import type { ServerContext, Session } from "./session.ts";

const LANGUAGES: [string, ...string[]] = ["wasm", ...SOURCE_LANGUAGES];
/** Audit events one get_audit call returns at most. */
const AUDIT_PAGE_MAX = 10_000;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The server of one session: its tools and resources. */
export function createSessionServer(context: ServerContext, session: Session, version: string): McpServer {
  const server = new McpServer(
    { name: "playpen", version },
    {
      capabilities: { logging: {} },
      instructions:
        "Playpen runs code in a WebAssembly sandbox with a per-capability policy. Files you write persist in /workspace for this session. " +
        "A denied access comes back in `denials` with its fix (a policy fragment); to get it granted, call propose_policy with that fragment as `add` and a reason: a person approves or refuses.",
    },
  );
  const sandbox = session.sandbox;

  server.registerTool(
    "run",
    {
      title: "Run code in the sandbox",
      description:
        `Runs a program in a fresh WebAssembly sandbox over this session's /workspace (the working folder; files written there persist across calls when the run exits on its own). ` +
        `Languages: ${LANGUAGES.join(", ")} (wasm: a WASI preview1 command module, base64 in "code"). ` +
        "Returns stdout, stderr, exitCode, reason (exited | timeout | stopped | error), denials (each with a fix: the policy fragment that would allow it; pass it to propose_policy) and alerts. " +
        "Output is also streamed as progress notifications when the call carries a progressToken. Exit code 124 means the time limit was reached.",
      inputSchema: {
        language: z.enum(LANGUAGES).describe("the program's language"),
        code: z.string().describe("the source code (for wasm: the module's bytes in base64)"),
        args: z.array(z.string()).max(1000).optional().describe("command-line arguments"),
        stdin: z.string().optional().describe("text given to the program on standard input"),
        timeoutMs: z.number().int().positive().optional().describe("wall-clock limit in milliseconds (default and at most: the policy's limits.wallMs)"),
      },
      annotations: { openWorldHint: false },
    },
    async ({ language, code, args, stdin, timeoutMs }, extra) => {
      const wallMs = sandbox.policy.limits.wallMs;
      if (timeoutMs !== undefined && timeoutMs > wallMs) throw new Error(`timeoutMs ${timeoutMs} is above the policy's limits.wallMs (${wallMs}): ask for more with propose_policy`);
      if (language === "wasm" && !BASE64.test(code.replace(/\s/g, ""))) throw new Error('for language "wasm", "code" must be the module in base64');
      const input: RunInput = language === "wasm" ? { language, module: new Uint8Array(Buffer.from(code, "base64")) } : { language: language as Language, code };
      const token = extra._meta?.progressToken;
      let progress = 0;
      const unsubscribe = token === undefined ? undefined : sandbox.on("output", ({ stream, text }) => void extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: ++progress, message: `${stream}: ${text}` } }).catch(() => {}));
      const alerts = new AlertReporter({ write: (_stream, text) => process.stderr.write(text) }, context.alertHook ? [{ name: "the alert hook", hook: context.alertHook }] : []);
      const unwatch = sandbox.on("audit", (event) => alerts.observe([event]));
      extra.signal.addEventListener("abort", () => sandbox.stop(), { once: true });
      try {
        const report = await sandbox.run({ ...input, ...(args && { args }), ...(stdin !== undefined && { stdin }), timeoutMs: timeoutMs ?? wallMs });
        await session.persist();
        await alerts.settled();
        return reply(withoutAudit(report));
      } finally {
        unsubscribe?.();
        unwatch();
      }
    },
  );

  server.registerTool(
    "write_file",
    {
      title: "Write a file",
      description: "Creates or replaces a file in this session's /workspace (folders are created). Paths are relative to /workspace or absolute under it. Refused whole when it would break the workspace's size limit.",
      inputSchema: {
        path: z.string().describe("e.g. data/input.csv or /workspace/data/input.csv"),
        content: z.string().describe("the file's content"),
        encoding: z.enum(["utf8", "base64"]).optional().describe("how content is written (default utf8)"),
      },
    },
    async ({ path, content, encoding }) => {
      if (encoding === "base64" && !BASE64.test(content.replace(/\s/g, ""))) throw new Error('"content" is not base64');
      const data = encoding === "base64" ? new Uint8Array(Buffer.from(content, "base64")) : content;
      sandbox.writeFile(path, data);
      await session.persist();
      return reply({ written: path, bytes: typeof data === "string" ? Buffer.byteLength(data) : data.length });
    },
  );

  server.registerTool(
    "read_file",
    {
      title: "Read a file",
      description: "Reads a file of this session's /workspace: as text when it is UTF-8, else in base64 (encoding says which).",
      inputSchema: { path: z.string(), encoding: z.enum(["utf8", "base64"]).optional().describe("force an encoding (default: utf8 when the bytes are text)") },
      annotations: { readOnlyHint: true },
    },
    ({ path, encoding }) => {
      const bytes = sandbox.readFile(path);
      const text = encoding === "base64" ? undefined : utf8(bytes);
      return reply(text === undefined ? { path, encoding: "base64", content: Buffer.from(bytes).toString("base64") } : { path, encoding: "utf8", content: text });
    },
  );

  server.registerTool(
    "list_files",
    {
      title: "List files",
      description: "Lists the files and folders of this session's /workspace (or of one folder in it), with sizes.",
      inputSchema: { folder: z.string().optional().describe("a folder in /workspace (default: all of it)") },
      annotations: { readOnlyHint: true },
    },
    ({ folder }) => reply({ files: sandbox.listFiles(folder ?? "").map(({ path, kind, size }) => ({ path, kind, size })) }),
  );

  server.registerTool(
    "delete_file",
    {
      title: "Delete a file",
      description: "Deletes a file, or a folder with everything in it, from this session's /workspace.",
      inputSchema: { path: z.string() },
      annotations: { destructiveHint: true },
    },
    async ({ path }) => {
      sandbox.deleteFile(path);
      await session.persist();
      return reply({ deleted: path });
    },
  );

  server.registerTool(
    "get_policy",
    {
      title: "Show the policy",
      description: "The policy this session's runs get (granted) and the ceiling the server was started with: asks beyond the ceiling go to the person.",
      annotations: { readOnlyHint: true },
    },
    () => reply({ granted: sandbox.policy, ceiling: context.ceiling }),
  );

  server.registerTool(
    "propose_policy",
    {
      title: "Ask for a different policy",
      description:
        "Asks for a new policy for this session's next runs. Give either `add` (rules to add: a denial's fix.policy, e.g. {\"network\":[{\"host\":\"api.example.com\",\"port\":443}]}) or `policy` (a whole policy document as JSON text), and a reason for the person. " +
        "Within the server's ceiling it is granted at once; anything wider is shown to the person, who approves or refuses. Returns granted: true or false, and what was wider than the ceiling.",
      inputSchema: {
        reason: z.string().min(1).max(2000).describe("why the program needs it, for the person"),
        add: z.record(z.string(), z.unknown()).optional().describe("a policy fragment to add: {files?, network?, env?, secrets?, tools?, limits?}"),
        policy: z.string().max(1_000_000).optional().describe("a whole policy document, as JSON text"),
      },
    },
    async ({ reason, add, policy }) => {
      if ((add === undefined) === (policy === undefined)) throw new Error('give exactly one of "add" (rules to add) or "policy" (a whole document as JSON text)');
      const proposed: Policy = policy !== undefined ? parsePolicyJson(policy) : withFragment(sandbox.policy, checkedFragment(add!));
      const widenings = wideningsOf(context.ceiling, proposed);
      if (widenings.length === 0) {
        sandbox.setPolicy(proposed);
        await session.persist();
        return reply({ granted: true, via: "within the ceiling", widenings: [] });
      }
      const question = `The agent asks for a wider policy for this session.\nReason given: ${reason}\nBeyond what you started the server with, it would grant:\n${describeWidenings(widenings)}`;
      const answer = await askThePerson(server.server, question);
      if (answer.approved) {
        sandbox.setPolicy(proposed);
        await session.persist();
      }
      return reply({ granted: answer.approved, via: answer.via, ...(answer.reason && { reason: answer.reason }), widenings });
    },
  );

  server.registerTool(
    "get_audit",
    {
      title: "Show the audit log",
      description: "This session's policy decisions (every access each run made, allowed or denied), newest last, filtered by the fields given.",
      inputSchema: {
        capability: z.enum(["file", "network", "env", "secret", "tool", "clock", "random"]).optional(),
        decision: z.enum(["allow", "deny"]).optional(),
        alertsOnly: z.boolean().optional().describe("only events that raised an alert"),
        runId: z.string().optional(),
        resource: z.string().optional().describe("only events whose resource contains this text"),
        limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).optional().describe("the newest this many (default 200)"),
      },
      annotations: { readOnlyHint: true },
    },
    ({ capability, decision, alertsOnly, runId, resource, limit }) => {
      const matching = session.audit.filter(
        (e) => (capability === undefined || e.capability === capability) && (decision === undefined || e.decision === decision) && (!alertsOnly || e.alert !== undefined) && (runId === undefined || e.runId === runId) && (resource === undefined || e.resource.includes(resource)),
      );
      return reply({ total: matching.length, events: matching.slice(-(limit ?? 200)) });
    },
  );

  server.registerResource(
    "workspace-file",
    new ResourceTemplate("playpen://workspace/{+path}", {
      list: () => ({ resources: sandbox.listFiles().filter((f) => f.kind === "file").map((f) => ({ uri: `playpen://workspace/${f.path}`, name: f.path, mimeType: "application/octet-stream" })) }),
    }),
    { title: "A file of the session's /workspace", description: "The session's files" },
    (uri, { path }) => {
      const bytes = sandbox.readFile(String(path));
      const text = utf8(bytes);
      return { contents: [text === undefined ? { uri: uri.href, blob: Buffer.from(bytes).toString("base64") } : { uri: uri.href, text, mimeType: "text/plain" }] };
    },
  );
  server.registerResource("audit-log", "playpen://audit", { title: "The session's audit log", description: "Every policy decision of the session's runs, as JSON Lines", mimeType: "application/jsonl" }, (uri) => ({
    contents: [{ uri: uri.href, text: session.audit.map((e) => JSON.stringify(e)).join("\n") }],
  }));
  return server;
}

/** A result as both text (what most clients show the model) and structured content. */
function reply(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value, null, 1) }], structuredContent: value };
}

/** The audit stays in get_audit: a run's full log would flood the agent's context. */
function withoutAudit(report: RunReport): Record<string, unknown> {
  const { audit, ...rest } = report;
  return { ...rest, auditEvents: audit.length };
}

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

const FRAGMENT_KEYS = new Set(["files", "network", "env", "secrets", "tools", "limits"]);

/** `add` names only the fields a fragment has (withFragment then validates every rule as the policy schema does). */
function checkedFragment(add: Record<string, unknown>): PolicyFragment {
  const unknown = Object.keys(add).filter((key) => !FRAGMENT_KEYS.has(key));
  if (unknown.length > 0) throw new Error(`"add" has unknown fields ${unknown.join(", ")}: expected ${[...FRAGMENT_KEYS].join(", ")}`);
  for (const key of ["files", "network", "env", "secrets", "tools"]) {
    if (add[key] !== undefined && !Array.isArray(add[key])) throw new Error(`"add.${key}" must be a list of rules`);
  }
  return add as PolicyFragment;
}
