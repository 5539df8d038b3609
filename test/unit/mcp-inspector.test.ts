import { execFile } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN } from "../support/mcp-proof.ts";

/**
 * `playpen mcp` driven by a client nobody on the team wrote: the MCP
 * inspector's CLI mode. Its cwd is its own build folder: inspector-cli 1.0.3
 * looks for its package.json relative to the cwd but imports it relative to
 * itself, so it starts only from there.
 */
const INSPECTOR = path.resolve("node_modules/@modelcontextprotocol/inspector-cli/build");

function inspector(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = ["--cli", "setsid", process.execPath, BIN, "mcp", "--method", ...args];
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(INSPECTOR, "cli.js"), ...command], { cwd: INSPECTOR, timeout: 180_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("playpen mcp under @modelcontextprotocol/inspector-cli", () => {
  it("lists the tools and calls run", async () => {
    const [listed, called] = await Promise.all([
      inspector(["tools/list"]),
      inspector(["tools/call", "--tool-name", "run", "--tool-arg", "language=python", "code=print(6 * 7)"]),
    ]);
    expect(listed.code, listed.stderr).toBe(0);
    const names = (JSON.parse(listed.stdout) as { tools: { name: string }[] }).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["run", "write_file", "read_file", "list_files", "delete_file", "get_policy", "propose_policy", "get_audit"]));
    expect(called.code, called.stderr).toBe(0);
    const result = JSON.parse(called.stdout) as { structuredContent: Record<string, unknown> };
    expect(result.structuredContent).toMatchObject({ exitCode: 0, reason: "exited", stdout: "42\n" });
  }, 200_000);
});
