import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll } from "vitest";
import { BIN, CEILING_FLAGS, connectClient, describeMcpProof } from "../support/mcp-proof.ts";

/**
 * `playpen mcp` over stdio, one server process per session, each started
 * under `setsid` so it has no controlling terminal: a proposal the client
 * does not answer can then only be refused (never prompted on the test's terminal).
 */
const work = mkdtempSync(path.join(tmpdir(), "playpen-mcp-stdio-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function stdioServer() {
  return new StdioClientTransport({ command: "setsid", args: [process.execPath, BIN, "mcp", ...CEILING_FLAGS], cwd: work, stderr: "pipe" });
}

describeMcpProof("stdio", async () => {
  const [a, b] = await Promise.all([connectClient(stdioServer()), connectClient(stdioServer())]);
  return { a, b, close: async () => void (await Promise.all([a.client.close(), b.client.close()])) };
});
