/**
 * A scripted agent (a fixed transcript of tool calls, no model) prototyping a
 * tool with `playpen mcp`: it analyses a CSV in Python, tries to fetch
 * exchange rates and is denied, reads the denial's fix, asks for exactly that
 * grant with propose_policy, gets it, and finishes the report.
 *
 *   npx tsx examples/agents/csv-agent.ts
 *
 * The "remote" rates API is a server on 127.0.0.1 started here (no internet
 * needed). The person who approves is played by this script's elicitation
 * handler, which prints the question and answers yes; a real MCP client
 * (Claude Desktop, VS Code) shows that question to you instead.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ElicitRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";

const BIN = fileURLToPath(new URL("../../cli/bin/playpen.mjs", import.meta.url));

const SALES = `region,product,amount_usd
north,widget,1200
north,gadget,800
south,widget,450
south,gizmo,1550
east,gadget,990
`;

const ANALYSE = `import csv
totals = {}
for row in csv.DictReader(open("sales.csv")):
    totals[row["region"]] = totals.get(row["region"], 0) + int(row["amount_usd"])
with open("totals.csv", "w") as out:
    out.write("region,total_usd\\n")
    for region, total in sorted(totals.items()):
        out.write(f"{region},{total}\\n")
print(f"{len(totals)} regions, {sum(totals.values())} USD in all")
`;

const convert = (ratesUrl: string) => `import csv, io
import playpen_tools as tools
rates = {r["currency"]: float(r["per_usd"]) for r in csv.DictReader(io.StringIO(tools.http_get("${ratesUrl}")["body"]))}
lines = ["# Sales by region", "", "| region | USD | EUR |", "|---|---|---|"]
for row in csv.DictReader(open("totals.csv")):
    usd = int(row["total_usd"])
    lines.append(f"| {row['region']} | {usd} | {usd * rates['EUR']:.0f} |")
open("report.md", "w").write("\\n".join(lines) + "\\n")
print("report.md written")
`;

type Json = Record<string, unknown>;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function call(client: Client, name: string, args: Json): Promise<Json> {
  const shown = JSON.stringify(args, (key, value: unknown) => (key === "code" || key === "content" ? `<${String(value).length} chars>` : value));
  say(`→ ${name} ${shown}`);
  const reply = (await client.callTool({ name, arguments: args }, undefined, { timeout: 300_000 })) as CallToolResult;
  const result = (reply.structuredContent ?? {}) as Json;
  if (reply.isError) throw new Error(`${name} failed: ${JSON.stringify(reply.content)}`);
  return result;
}

export async function main(): Promise<void> {
  const rates = createServer((_request, response) => response.end("currency,per_usd\nEUR,0.92\nGBP,0.79\n"));
  await new Promise<void>((resolve) => rates.listen(0, "127.0.0.1", resolve));
  const ratesUrl = `http://127.0.0.1:${(rates.address() as AddressInfo).port}/rates.csv`;

  // The ceiling: the workspace and the http tool, but no host at all.
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, "mcp", "--allow-tool=http"], stderr: "inherit" });
  const client = new Client({ name: "csv-agent", version: "1" }, { capabilities: { elicitation: { form: {} } } });
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    say(`? the person is asked:\n${request.params.message.replace(/^/gm, "    ")}`);
    say("! the person approves");
    return { action: "accept", content: { approve: true } };
  });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    say(`tools: ${tools.map((t) => t.name).join(", ")}`);

    await call(client, "write_file", { path: "sales.csv", content: SALES });
    const analysed = await call(client, "run", { language: "python", code: ANALYSE });
    say(`← ${String(analysed.stdout).trim()}`);

    let converted = await call(client, "run", { language: "python", code: convert(ratesUrl) });
    const denial = (converted.denials as { capability: string; resource: string; fix: { text: string; policy: Json } }[]).find((d) => d.capability === "network");
    if (!denial) throw new Error(`expected a network denial, got ${JSON.stringify(converted)}`);
    say(`← denied: network ${denial.resource}; fix: ${denial.fix.text}`);

    const granted = await call(client, "propose_policy", { add: denial.fix.policy, reason: "fetch today's exchange rates to convert the totals to EUR" });
    say(`← granted: ${String(granted.granted)} (via ${String(granted.via)})`);
    if (granted.granted !== true) throw new Error("the grant was refused");

    converted = await call(client, "run", { language: "python", code: convert(ratesUrl) });
    say(`← ${String(converted.stdout).trim()} (exit ${String(converted.exitCode)})`);
    const report = await call(client, "read_file", { path: "report.md" });
    say(String(report.content).trimEnd());
  } finally {
    await client.close();
    rates.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
