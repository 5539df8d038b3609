import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ElicitRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The proof list, driven through the official SDK client, once per
 * transport (mcp-stdio.test.ts, mcp-http.test.ts): every transport must
 * pass the same suite. Each client is one session of `playpen mcp`.
 */

export const BIN = path.resolve("cli/bin/playpen.mjs");
/** The ceiling every proof server starts with: workspace only, plus the http tool (but no host). */
export const CEILING_FLAGS = ["--allow-tool=http", "--timeout", "120000"];

/** A client whose elicitation answers come from `answers` (the person's yes or no, in order). */
export interface ProofClient {
  client: Client;
  answers: boolean[];
  questions: string[];
}

export async function connectClient(transport: Transport): Promise<ProofClient> {
  const client = new Client({ name: "playpen-proof", version: "1" }, { capabilities: { elicitation: { form: {} } } });
  const proof: ProofClient = { client, answers: [], questions: [] };
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    proof.questions.push(request.params.message);
    const approve = proof.answers.shift();
    if (approve === undefined) return { action: "cancel" };
    return { action: "accept", content: { approve } };
  });
  await client.connect(transport);
  return proof;
}

type Json = Record<string, unknown>;

export async function call(client: Client, name: string, args: Json = {}, timeout = 120_000): Promise<{ result: Json; isError: boolean; text: string }> {
  const reply = (await client.callTool({ name, arguments: args }, undefined, { timeout })) as CallToolResult;
  const text = reply.content.map((c) => (c.type === "text" ? c.text : "")).join("");
  return { result: (reply.structuredContent ?? {}) as Json, isError: reply.isError === true, text };
}

/** The proof suite; `open` starts or connects two sessions' clients, `close` ends them. */
export function describeMcpProof(transportName: string, open: () => Promise<{ a: ProofClient; b: ProofClient; close(): Promise<void> }>): void {
  describe(`playpen mcp over ${transportName}`, () => {
    let a: ProofClient;
    let b: ProofClient;
    let close: () => Promise<void>;
    let data: Server;
    let dataPort: number;

    beforeAll(async () => {
      data = createServer((_request, response) => response.end("city,people\nLyon,520000\nNantes,320000\n"));
      await new Promise<void>((resolve) => data.listen(0, "127.0.0.1", resolve));
      dataPort = (data.address() as AddressInfo).port;
      ({ a, b, close } = await open());
    }, 120_000);

    afterAll(async () => {
      await close?.();
      data?.close();
    });

    it("lists its tools, each with a description and an input schema", async () => {
      const { tools } = await a.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(["delete_file", "get_audit", "get_policy", "list_files", "propose_policy", "read_file", "run", "write_file"]);
      for (const tool of tools) {
        expect(tool.description!.length).toBeGreaterThan(40);
        expect(tool.inputSchema.type).toBe("object");
      }
      const run = tools.find((t) => t.name === "run")!;
      expect((run.inputSchema.properties as Json).language).toMatchObject({ enum: expect.arrayContaining(["python", "javascript", "sql", "lua", "ruby", "c", "shell", "wasm"]) });
    });

    it("runs every language, a WASI module given in base64 too", async () => {
      const programs: [string, string, string][] = [
        ["python", "print(6 * 7)", "42"],
        ["javascript", "console.log(6 * 7)", "42"],
        ["sql", "select 6 * 7;", "42"],
        ["lua", "print(6 * 7)", "42"],
        ["ruby", "puts 6 * 7", "42"],
        ["shell", "echo $((6 * 7))", "42"],
        ["c", '#include <stdio.h>\nint main(void) { printf("%d\\n", 6 * 7); return 0; }', "42"],
        ["wasm", readFileSync("public/examples/hello.wasm").toString("base64"), "Hello"],
      ];
      for (const [language, code, expected] of programs) {
        const { result } = await call(a.client, "run", { language, code });
        expect({ language, ...result }).toMatchObject({ language, exitCode: 0, reason: "exited", stdout: expect.stringContaining(expected) });
      }
    }, 300_000);

    it("keeps files across calls: written by the client, changed by a run, read back, listed and deleted", async () => {
      await call(a.client, "write_file", { path: "in/numbers.txt", content: "1\n2\n3\n" });
      const run = await call(a.client, "run", { language: "python", code: "n = [int(x) for x in open('in/numbers.txt')]\nopen('out.txt', 'w').write(str(sum(n)))\nprint('done')" });
      expect(run.result).toMatchObject({ exitCode: 0, stdout: "done\n" });
      expect((await call(a.client, "read_file", { path: "/workspace/out.txt" })).result).toMatchObject({ encoding: "utf8", content: "6" });
      const listed = (await call(a.client, "list_files")).result.files as { path: string }[];
      expect(listed.map((f) => f.path)).toEqual(expect.arrayContaining(["in", "in/numbers.txt", "out.txt"]));
      await call(a.client, "delete_file", { path: "out.txt" });
      expect((await call(a.client, "read_file", { path: "out.txt" })).isError).toBe(true);
      // A binary file goes both ways in base64.
      await call(a.client, "write_file", { path: "bytes.bin", content: Buffer.from([0, 255, 1]).toString("base64"), encoding: "base64" });
      expect((await call(a.client, "read_file", { path: "bytes.bin" })).result).toMatchObject({ encoding: "base64", content: "AP8B" });
      // Resources show the same files.
      const { resources } = await a.client.listResources();
      expect(resources.map((r) => r.uri)).toContain("playpen://workspace/in/numbers.txt");
      expect((await a.client.readResource({ uri: "playpen://workspace/in/numbers.txt" })).contents).toEqual([expect.objectContaining({ text: "1\n2\n3\n" })]);
      // The other session does not see them.
      expect((await call(b.client, "read_file", { path: "in/numbers.txt" })).isError).toBe(true);
    }, 120_000);

    it("reports a denial with its fix; the fix proposed, approved by the person, lets the rerun through", async () => {
      const fetch = `import playpen_tools as t\nprint(t.http_get("http://127.0.0.1:${dataPort}/cities.csv")["body"])`;
      const denied = await call(a.client, "run", { language: "python", code: fetch });
      expect(denied.result.exitCode).not.toBe(0);
      const denial = (denied.result.denials as { capability: string; fix: { policy: Json } }[]).find((d) => d.capability === "network")!;
      expect(denial.fix.policy).toMatchObject({ network: [{ host: "127.0.0.1", port: dataPort }] });
      a.answers.push(true);
      const proposed = await call(a.client, "propose_policy", { add: denial.fix.policy, reason: "fetch the city table" });
      expect(proposed.result).toMatchObject({ granted: true, via: "elicitation" });
      expect(a.questions.at(-1)).toContain(`network to 127.0.0.1:${dataPort}`);
      expect(a.questions.at(-1)).toContain("fetch the city table");
      const fetched = await call(a.client, "run", { language: "python", code: fetch });
      expect(fetched.result).toMatchObject({ exitCode: 0, stdout: expect.stringContaining("Lyon,520000") });
      // Session b was not widened.
      expect((await call(b.client, "run", { language: "python", code: fetch })).result.exitCode).not.toBe(0);
    }, 120_000);

    it("refuses a proposal the person declines, and one nobody answers; the policy stays as it was", async () => {
      const before = (await call(b.client, "get_policy")).result.granted;
      b.answers.push(false);
      const refused = await call(b.client, "propose_policy", { add: { network: [{ host: "*" }] }, reason: "the whole internet" });
      expect(refused.result).toMatchObject({ granted: false, via: "elicitation", widenings: [{ path: "network[0]", what: "allows network to *" }] });
      const unanswered = await call(b.client, "propose_policy", { policy: JSON.stringify({ version: 1, files: [{ path: "/**", access: "write" }] }), reason: "everything" });
      expect(unanswered.result).toMatchObject({ granted: false });
      expect((await call(b.client, "get_policy")).result.granted).toEqual(before);
      // Narrower than the ceiling needs nobody: granted at once, without a question.
      const asked = b.questions.length;
      const narrower = await call(b.client, "propose_policy", { policy: JSON.stringify({ version: 1, files: [{ path: "/workspace/**", access: "read" }] }), reason: "read only" });
      expect(narrower.result).toMatchObject({ granted: true, via: "within the ceiling" });
      expect(b.questions.length).toBe(asked);
      const readOnly = await call(b.client, "run", { language: "python", code: "open('x.txt', 'w').write('x')" });
      expect(readOnly.result.denials).toEqual(expect.arrayContaining([expect.objectContaining({ capability: "file", access: "write" })]));
      // Back to the ceiling: within it, so granted without asking either.
      const back = await call(b.client, "propose_policy", { policy: JSON.stringify((await call(b.client, "get_policy")).result.ceiling), reason: "back" });
      expect(back.result).toMatchObject({ granted: true, via: "within the ceiling" });
      expect(b.questions.length).toBe(asked);
    }, 120_000);

    it("stops a runaway at its time limit while the other session keeps working", async () => {
      const runaway = call(a.client, "run", { language: "python", code: "while True: pass", timeoutMs: 3000 });
      const meanwhile = await call(b.client, "run", { language: "javascript", code: "console.log('still here')" });
      expect(meanwhile.result).toMatchObject({ exitCode: 0, stdout: "still here\n" });
      expect((await runaway).result).toMatchObject({ reason: "timeout", exitCode: 124 });
      expect((await call(a.client, "run", { language: "python", code: "print('after')" })).result).toMatchObject({ exitCode: 0, stdout: "after\n" });
    }, 120_000);

    it("answers bad requests with an MCP error and keeps the session", async () => {
      await call(a.client, "write_file", { path: "keep.txt", content: "kept" });
      // The SDK answers a call its input schema rejects with an error result carrying the JSON-RPC code (-32602, invalid params).
      const unknown = await call(a.client, "run", { language: "cobol", code: "x" });
      expect(unknown.isError).toBe(true);
      expect(unknown.text).toMatch(/-32602.*expected one of .*"python".* at language/);
      const invalid = await call(a.client, "propose_policy", { policy: '{"version": 1, "files": [], "files": [{"path": "relative", "access": "read"}]}', reason: "x" });
      expect(invalid.isError).toBe(true);
      expect(invalid.text).toMatch(/files\[0\]\.path: must be an absolute path/);
      expect(invalid.text).toMatch(/files: duplicate field/);
      const oversized = await call(a.client, "write_file", { path: "big.bin", content: "x".repeat(65 * 1024 * 1024) });
      expect(oversized.isError).toBe(true);
      expect(oversized.text).toMatch(/quota|limit/i);
      const escape = await call(a.client, "write_file", { path: "../etc/passwd", content: "x" });
      expect(escape.isError).toBe(true);
      expect(escape.text).toMatch(/climbs out of the workspace/);
      const tooLong = await call(a.client, "run", { language: "python", code: "print(1)", timeoutMs: 10_000_000 });
      expect(tooLong.isError).toBe(true);
      expect((await call(a.client, "read_file", { path: "keep.txt" })).result).toMatchObject({ content: "kept" });
      expect((await call(a.client, "run", { language: "python", code: "print(open('keep.txt').read())" })).result).toMatchObject({ exitCode: 0, stdout: "kept\n" });
    }, 120_000);

    it("streams a run's output as progress notifications while it runs", async () => {
      const messages: string[] = [];
      const code = "import time\nfor i in range(3):\n    print(f'line {i}', flush=True)\n    time.sleep(0.3)";
      const reply = await a.client.callTool({ name: "run", arguments: { language: "python", code } }, undefined, { timeout: 120_000, onprogress: (p) => void messages.push(p.message ?? "") });
      expect((reply.structuredContent as Json).stdout).toBe("line 0\nline 1\nline 2\n");
      expect(messages.join("")).toContain("stdout: line 0");
      expect(messages.length).toBeGreaterThanOrEqual(2);
    }, 120_000);

    it("filters the session's audit, also readable as a resource", async () => {
      const denials = (await call(a.client, "get_audit", { decision: "deny", capability: "network", limit: 5 })).result;
      expect(denials.total).toBeGreaterThan(0);
      for (const event of denials.events as Json[]) expect(event).toMatchObject({ decision: "deny", capability: "network" });
      expect((await call(b.client, "get_audit", { resource: `127.0.0.1:${dataPort}`, decision: "allow" })).result.total).toBe(0);
      const log = (await a.client.readResource({ uri: "playpen://audit" })).contents[0] as { text: string };
      expect(log.text.split("\n").map((line) => JSON.parse(line) as Json).some((e) => e.capability === "network" && e.decision === "allow")).toBe(true);
    });
  });
}
