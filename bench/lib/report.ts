import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Machine } from "./machine.ts";
import type { Series } from "./stats.ts";

export interface Benchmark {
  id: string;
  title: string;
  /** How one sample is taken, in a sentence or two. */
  method: string;
  series: Series[];
  /** Facts worth keeping beside the figures: checksums, ratios, versions. */
  notes: string[];
  /** Share of the machine's CPU time that processes other than the benchmark's used meanwhile (0…1). */
  otherCpu?: number | null;
}

export interface Target {
  /** The id of the benchmark that measures it. */
  id: string;
  /** The issue that set it (2: the first performance targets, 3: the gated engine's). */
  issue?: number;
  /** The requirement, in the issue's words. */
  requirement: string;
  /** e.g. "≤ 15 ms"; null for a figure that is only reported. */
  limit: string | null;
  /** The figure judged against the limit, with its unit, e.g. "3.1 ms". */
  measured: string;
  /** Which measurement the figure is, e.g. "median worker run duration, 21 runs". */
  basis: string;
  pass: boolean | null;
}

export interface Results {
  date: string;
  machine: Machine;
  /** 1-, 5- and 15-minute load averages when the run started and ended: other work on the machine skews figures. */
  load: { start: number[]; end: number[]; busyAtStart: number | null };
  config: Record<string, string | number>;
  targets: Target[];
  benchmarks: Benchmark[];
}

export const BEGIN = "<!-- BEGIN GENERATED FIGURES (bench/run.ts) -->";
export const END = "<!-- END GENERATED FIGURES -->";

const INTRO = `# Benchmarks

How fast Playpen is, against the performance targets of issue 2 (the page, the
CLI) and issue 3 (the gated engine against the wasmer engine), measured by
\`bench/run.ts\` on a production build. Everything between the two GENERATED
markers below is rewritten by each run of the script (with the raw samples in
\`bench/results.json\`); the rest of this page is written by hand.

## How to reproduce

\`\`\`sh
npm run build && npx tsx bench/run.ts
\`\`\`

Options:

- \`--samples N\`: timed runs of the slower benchmarks (default 7, at least 5);
  the quick page runs and the warm CLI take three times as many.
- \`--warmup N\`: untimed runs first (default 2).
- \`--cpu-iterations N\`: cpu-bench's argument (default 500).
- \`--wait-idle SECONDS\`: first wait up to that long for 10 s in a row with the
  CPUs under 20% busy.
- \`--only ID,...\`: run only these benchmarks (the ids are listed by \`--help\`),
  print their figures and write nothing.
- \`--no-write\`: print the figures only.
- \`--render-only\`: rewrite the figures here from \`bench/results.json\`,
  measuring nothing.

The script needs \`/usr/bin/chromium\` (or \`CHROMIUM_PATH\`), \`python3\` and the
outputs of \`npm run build\` (\`dist/\` and \`build/native/\`, which hold the C
examples, \`examples/c/syscall-bench.c\` included, built to WASI and natively). It
takes about three minutes on the reference machine, plus any wait for
\`--wait-idle\`. All figures are medians; each table also gives the minimum and
the maximum.

`;

export function renderFigures(results: Results): string {
  const m = results.machine;
  const lines: string[] = [
    BEGIN,
    "",
    "## Results",
    "",
    `Measured on ${results.date} (UTC) with \`${Object.entries(results.config)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")}\`.`,
    "",
    "| Machine | |",
    "| --- | --- |",
    `| CPU | ${m.cpu}, ${m.cores} cores |`,
    `| Memory | ${m.memoryGiB} GiB |`,
    `| OS | ${m.os} (${m.kernel}) |`,
    `| Node | ${m.node} |`,
    `| Browser | ${m.chromium} |`,
    `| Python (native) | ${m.python3} |`,
    `| C compiler (native) | ${m.cc} |`,
    `| Other work | CPUs ${results.load.busyAtStart === null ? "n/a" : `${Math.round(results.load.busyAtStart * 100)}%`} busy just before the start (2 s window; with --wait-idle, the busiest of the last 5); load average (1, 5, 15 min) ${results.load.start.join(", ")} at start, ${results.load.end.join(", ")} at end |`,
    "",
    "### Targets",
    "",
    "| Issue | Target | Limit | Measured | Basis | Other work meanwhile | Result |",
    "| ---: | --- | --- | --- | --- | ---: | --- |",
    ...results.targets.map((t) => {
      const other = results.benchmarks.find((b) => b.id === t.id)?.otherCpu;
      const result = t.pass === null ? "reported" : t.pass ? "**pass**" : "**FAIL**";
      return `| ${t.issue ?? "—"} | ${t.requirement} | ${t.limit ?? "—"} | ${t.measured} | ${t.basis} | ${percent(other)} | ${result} |`;
    }),
    "",
    '"Other work meanwhile" is the share of the machine\'s CPU time used by processes other than the benchmark\'s own (its Chromium, server, CLI daemons and native programs) while that benchmark ran: all busy CPU time less that of the benchmark\'s processes, read from /proc every 250 ms (a few per cent of it is noise). Well above that, figures are skewed upwards.',
    "",
    "### Figures",
  ];
  for (const b of results.benchmarks) {
    lines.push("", `#### ${b.title}`, "", b.method, "", "| Measure | Median | Min | Max | n |", "| --- | ---: | ---: | ---: | ---: |");
    for (const s of b.series) {
      lines.push(`| ${s.label} | ${fmt(s.median, s.unit)} | ${fmt(s.min, s.unit)} | ${fmt(s.max, s.unit)} | ${s.samples.length} |`);
    }
    const notes = [...b.notes, ...(b.otherCpu == null ? [] : [`Other processes used at least ${percent(b.otherCpu)} of the machine's CPU time during this benchmark.`])];
    if (notes.length > 0) lines.push("", ...notes.map((n) => `- ${n}`));
  }
  lines.push("", END);
  return lines.join("\n");
}

function percent(share: number | null | undefined): string {
  return share == null ? "n/a" : `${Math.round(share * 100)}%`;
}

export function fmt(value: number, unit: Series["unit"]): string {
  if (!Number.isFinite(value)) return "n/a";
  return unit === "x" ? `${value.toFixed(2)}×` : `${value.toFixed(1)} ms`;
}

/** Rewrites the generated part of the doc, creating the doc (with its hand-written intro) if needed. */
export function updateDoc(docPath: string, results: Results): void {
  const figures = renderFigures(results);
  const current = existsSync(docPath) ? readFileSync(docPath, "utf8") : "";
  const begin = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  let next: string;
  if (begin >= 0 && end > begin) next = current.slice(0, begin) + figures + current.slice(end + END.length);
  else if (current) next = `${current.trimEnd()}\n\n${figures}\n`;
  else next = `${INTRO}${figures}\n`;
  writeFileSync(docPath, next);
}

/**
 * Replaces the section between `<!-- BEGIN GENERATED: name -->` and its END
 * marker in `doc` (appends it when absent): how the scripts that are not
 * bench/run.ts (soak, mcp) keep their own figures in docs/benchmarks.md.
 */
export function writeMarkedSection(doc: string, name: string, section: string): void {
  const begin = `<!-- BEGIN GENERATED: ${name} -->`;
  const end = `<!-- END GENERATED: ${name} -->`;
  const text = readFileSync(doc, "utf8");
  const block = `${begin}\n${section}\n${end}`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  writeFileSync(doc, from >= 0 && to > from ? `${text.slice(0, from)}${block}${text.slice(to + end.length)}` : `${text.trimEnd()}\n\n${block}\n`);
}
