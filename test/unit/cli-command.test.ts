import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parsePolicy, policyFromFlags, parsePolicyFlags, DEFAULT_POLICY } from "../../wasm-runtime/policy/index.ts";
import { cliCommand, policyAsFlags, shellQuote } from "../../web/setup/cli-command.ts";

const setup = { file: "main.py", language: "python" as const, args: [], engine: "gated" as const, timeoutMs: 10_000, secretNames: [], tools: [], trace: false };

describe("Copy as CLI command", () => {
  it("says a flag-shaped policy as flags, which rebuild exactly that policy", () => {
    const policy = parsePolicy({
      version: 1,
      files: [{ path: "/workspace/**", access: "write" }, { path: "/data/**", access: "read" }],
      network: [{ host: "api.example.com", port: 443 }],
      secrets: [{ name: "API_KEY" }],
      tools: [{ name: "http" }, { name: "secrets" }],
    });
    const flags = policyAsFlags(policy)!;
    expect(flags).toEqual(["--allow-read=/data/**", "--allow-net=api.example.com:443", "--allow-secret=API_KEY", "--allow-tool=http,secrets"]);
    const rebuilt = policyFromFlags(DEFAULT_POLICY, parsePolicyFlags(flags).flags);
    expect(rebuilt.network).toEqual(policy.network);
    expect(rebuilt.tools).toEqual(policy.tools);
  });

  it("falls back to --policy with the document when flags cannot say it (an ask rule, an exact path, a clock)", () => {
    for (const doc of [
      { files: [{ path: "/workspace/**", access: "write" }, { path: "/workspace/a", access: "read", decision: "ask" }] },
      { files: [{ path: "/workspace/main.py", access: "read" }] },
      { files: [{ path: "/workspace/**", access: "write" }], clock: { resolutionMs: 100 } },
    ]) {
      const policy = parsePolicy({ version: 1, ...doc });
      expect(policyAsFlags(policy)).toBeNull();
      const command = cliCommand({ ...setup, code: "print(1)\n", policy });
      expect(command).toContain("cat > policy.json <<'EOF'");
      expect(command).toMatch(/playpen run --engine gated --policy policy.json main.py\n$/);
    }
  });

  it("writes the program, quotes arguments, never copies a secret's value, and survives a shell", () => {
    const command = cliCommand({ ...setup, code: "import sys\nprint(sys.argv[1:])\nEOF\n", policy: DEFAULT_POLICY, args: ["one", "two words", "it's"], secretNames: ["API_KEY"], timeoutMs: 2500 });
    expect(command).toContain("<<'EOF1'");
    expect(command.split("\n").at(-2)).toBe("playpen run --engine gated --timeout 2500 --secret API_KEY main.py one 'two words' 'it'\\''s'");
    // The here-document and the quoting are read back by a real shell as they were meant.
    const echoed = execFileSync("sh", ["-c", `cd "$(mktemp -d)" && ${command.replace(/^playpen run .*$/m, "cat main.py; printf '%s|' one 'two words' 'it'\\''s'")}`], { encoding: "utf8" });
    expect(echoed).toBe("import sys\nprint(sys.argv[1:])\nEOF\none|two words|it's|");
    expect(shellQuote("")).toBe("''");
  });
});
