import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";

/** The worked agent example runs end to end (examples/agents/README.md), with no terminal to ask on (setsid). */
describe("examples/agents/csv-agent.ts", () => {
  it("analyses, is denied the fetch, asks for the fix, is granted it and finishes the report", async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile("setsid", [process.execPath, "--import", "tsx", "examples/agents/csv-agent.ts"], { timeout: 240_000 }, (error, out, err) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out, stderr: err }),
      ),
    );
    expect(code, stderr).toBe(0);
    const steps = stdout.split("\n");
    const at = (pattern: RegExp) => steps.findIndex((line) => pattern.test(line));
    expect(at(/^← 3 regions, 4990 USD in all$/)).toBeGreaterThan(0);
    expect(at(/^← denied: network 127\.0\.0\.1:\d+/)).toBeGreaterThan(at(/^← 3 regions/));
    expect(at(/^\? the person is asked:/)).toBeGreaterThan(at(/^← denied/));
    expect(stdout).toMatch(/allows network to 127\.0\.0\.1:\d+\/rates\.csv GET/);
    expect(at(/^← granted: true \(via elicitation\)$/)).toBeGreaterThan(at(/^\? the person is asked/));
    expect(at(/^← report\.md written \(exit 0\)$/)).toBeGreaterThan(at(/^← granted/));
    expect(stdout).toContain("| north | 2000 | 1840 |");
    expect(stdout).toContain("| south | 2000 | 1840 |");
    expect(stdout).toContain("| east | 990 | 911 |");
  }, 260_000);
});
