/**
 * Issue 18: short Python programs, one process per program, through the
 * README's command (`playpen run`, the warm daemon) against Debian's native
 * `/usr/bin/python3` in the same run. Each program carries its own asserts; a
 * verdict is the exit code and stdout, and must be the same on both sides.
 * Target: ≤ 2× native per program (median of the per-program ratios, and the
 * share of programs within 2×). Rewrites its own section of docs/benchmarks.md.
 *
 *   npx tsx bench/python-corpus.ts [--rounds N] [--engine wasmer|gated] [--no-write]
 */
import { existsSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { writeDocSection } from "./lib/doc-section.ts";
import { timedRun, type Timed } from "./lib/proc.ts";
import { median, round } from "./lib/stats.ts";

const CORPUS = path.resolve(import.meta.dirname, "python-corpus");
const NATIVE = "/usr/bin/python3";
const TARGET = 2;
/** The README's command when set-up installed it; the checkout's client otherwise (the same code, no npx). */
const PLAYPEN = existsSync("/usr/local/bin/playpen") ? ["/usr/local/bin/playpen"] : [process.execPath, path.resolve("cli/bin/playpen.mjs")];

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "3" }, engine: { type: "string", default: "" }, "no-write": { type: "boolean", default: false } },
});
const rounds = Math.max(1, Number(values.rounds));
const engineArgs = values.engine ? ["--engine", values.engine] : [];
const programs = readdirSync(CORPUS).filter((f) => f.endsWith(".py")).sort();

interface Row {
  name: string;
  native: number[];
  sandboxed: number[];
  sameVerdict: boolean;
  detail: string;
}

const nativeVersion = (await timedRun(NATIVE, ["--version"])).stdout.trim();
const verdict = (t: Timed) => `${t.exitCode}\n${t.stdout}`;
const load = { start: os.loadavg(), end: [] as number[] };

// A warm daemon, as a user's second command finds it.
await timedRun(PLAYPEN[0]!, [...PLAYPEN.slice(1), "run", ...engineArgs, path.join(CORPUS, programs[0]!)], { timeoutMs: 120_000 });

const rows: Row[] = [];
for (const name of programs) {
  const file = path.join(CORPUS, name);
  const row: Row = { name, native: [], sandboxed: [], sameVerdict: true, detail: "" };
  // Alternated, so drifting load falls on both sides alike.
  for (let round = 0; round < rounds; round++) {
    const native = await timedRun(NATIVE, [file], { cwd: CORPUS });
    const sandboxed = await timedRun(PLAYPEN[0]!, [...PLAYPEN.slice(1), "run", ...engineArgs, file], { cwd: CORPUS, timeoutMs: 120_000 });
    row.native.push(native.wallMs);
    row.sandboxed.push(sandboxed.wallMs);
    if (verdict(native) !== verdict(sandboxed) && row.sameVerdict) {
      row.sameVerdict = false;
      row.detail =
        native.exitCode === sandboxed.exitCode
          ? `stdout ${JSON.stringify(native.stdout.slice(0, 60))} natively, ${JSON.stringify(sandboxed.stdout.slice(0, 60))} sandboxed`
          : `exit ${native.exitCode} natively, ${sandboxed.exitCode} sandboxed: ${sandboxed.stderr.trim().split("\n").at(-1) ?? ""}`;
    }
  }
  rows.push(row);
  console.log(`${name}: native ${round(median(row.native))} ms, playpen ${round(median(row.sandboxed))} ms${row.sameVerdict ? "" : ` — VERDICT DIFFERS (${row.detail})`}`);
}
load.end = os.loadavg();

const ratios = rows.map((r) => median(r.sandboxed) / median(r.native));
const within = ratios.filter((r) => r <= TARGET).length;
const differing = rows.filter((r) => !r.sameVerdict);
const pass = within === rows.length && differing.length === 0;
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const command = `${PLAYPEN[0] === "/usr/local/bin/playpen" ? "playpen" : "node cli/bin/playpen.mjs"} run${engineArgs.length ? ` ${engineArgs.join(" ")}` : ""}`;

const body = `## Python corpus: a process per program, against native python3

Measured on ${new Date().toISOString().replace(/\.\d+Z$/, "Z")} by \`npx tsx bench/python-corpus.ts --rounds ${rounds}${values.engine ? ` --engine ${values.engine}` : ""}\` on ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "unknown CPU"}, load average ${load.start.map((l) => l.toFixed(1)).join(" ")} at the start and ${load.end.map((l) => l.toFixed(1)).join(" ")} at the end.
${rows.length} short programs of our own (\`bench/python-corpus/\`: strings, lists, dicts, math, recursion, the standard library), each with its own asserts,
each run as its own process by \`${command} FILE\` (the warm daemon) and by \`${NATIVE} FILE\` (Debian's ${nativeVersion}), alternately, ${rounds} times; a verdict is the exit code and stdout.

| | median per program | 10th–90th percentile |
|---|---|---|
| native \`${NATIVE}\` | ${round(median(rows.map((r) => median(r.native))))} ms | ${round(q(rows.map((r) => median(r.native)), 0.1))}–${round(q(rows.map((r) => median(r.native)), 0.9))} ms |
| \`${command}\` | ${round(median(rows.map((r) => median(r.sandboxed))))} ms | ${round(q(rows.map((r) => median(r.sandboxed)), 0.1))}–${round(q(rows.map((r) => median(r.sandboxed)), 0.9))} ms |
| ratio (per program) | ${round(median(ratios), 2)}× | ${round(q(ratios, 0.1), 2)}–${round(q(ratios, 0.9), 2)}× |

Verdicts identical: ${rows.length - differing.length} of ${rows.length}${differing.length ? ` (differing: ${differing.map((r) => `\`${r.name}\` — ${r.detail}`).join("; ")})` : ""}.

**Target (issue 18): every program within ${TARGET}× native with the same verdict — ${within} of ${rows.length} within ${TARGET}×: ${pass ? "PASS" : "FAIL"}.**`;

console.log(body);
if (!values["no-write"]) writeDocSection("python-corpus", body, "## Start-up speed (issue 18)");
