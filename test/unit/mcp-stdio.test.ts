import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, call, CEILING_FLAGS, connectClient, describeMcpProof } from "../support/mcp-proof.ts";

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

describe("playpen mcp --session-dir", () => {
  it("keeps a session's files and granted policy on disk, for the next server", async () => {
    const dir = path.join(work, "session");
    const start = () => connectClient(new StdioClientTransport({ command: "setsid", args: [process.execPath, BIN, "mcp", "--session-dir", dir], cwd: work, stderr: "pipe" }));
    const first = await start();
    await call(first.client, "write_file", { path: "notes/todo.txt", content: "keep me" });
    const narrower = JSON.stringify({ version: 1, files: [{ path: "/workspace/**", access: "read" }] });
    expect((await call(first.client, "propose_policy", { policy: narrower, reason: "read only from now on" })).result).toMatchObject({ granted: true });
    await first.client.close();
    expect(readFileSync(path.join(dir, "workspace/notes/todo.txt"), "utf8")).toBe("keep me");
    const second = await start();
    expect((await call(second.client, "read_file", { path: "notes/todo.txt" })).result).toMatchObject({ content: "keep me" });
    expect((await call(second.client, "get_policy")).result.granted).toMatchObject({ files: [{ path: "/workspace/**", access: "read" }] });
    await second.client.close();
  }, 120_000);
});
