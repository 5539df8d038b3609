/**
 * Prints a result document as Markdown tables (medians per backend and
 * workload, CPU ratio on inner time, verdicts, attack surface), for the
 * "Native comparison" section of docs/benchmarks.md.
 *
 * Usage: npx tsx native/reference-table.ts [public/compare/reference.json]
 */
import { readFileSync } from "node:fs";
import { REFERENCE_RESULT } from "./paths.ts";
import { CompareResult } from "./result-schema.ts";

const ABBREVIATION: Record<string, string> = { blocked: "B", contained: "C", allowed: "**A**", crashed: "X" };

export function referenceTables(result: CompareResult): string {
  const backends = result.backends.filter((b) => b.available);
  const find = (backend: string, workload: string) => result.measurements.find((m) => m.backend === backend && m.workload === workload);
  const ms = (value: number | null | undefined) => (value === null || value === undefined ? "–" : value < 10 ? value.toFixed(1) : String(Math.round(value)));
  const plainCpu = find("plain", "cpu")?.medianInnerMs ?? null;
  const lines: string[] = [];
  lines.push(`| backend | version | ${result.workloads.map((w) => w.id).join(" | ")} | cpu ÷ plain (inner) |`);
  lines.push(`|---|---|${result.workloads.map(() => "--:").join("|")}|--:|`);
  for (const b of backends) {
    const cpu = find(b.name, "cpu")?.medianInnerMs ?? null;
    const ratio = cpu !== null && plainCpu ? `${(cpu / plainCpu).toFixed(2)}×` : "–";
    lines.push(`| ${b.name} | ${b.version ?? ""} | ${result.workloads.map((w) => ms(find(b.name, w.id)?.medianMs)).join(" | ")} | ${ratio} |`);
  }
  lines.push("", `| backend | ${result.probes.map((p) => p.id).join(" | ")} |`, `|---|${result.probes.map(() => ":-:").join("|")}|`);
  for (const b of backends) {
    const cells = result.probes.map((p) => ABBREVIATION[result.verdicts.find((v) => v.backend === b.name && v.probe === p.id)?.verdict ?? ""] ?? "–");
    lines.push(`| ${b.name} | ${cells.join(" | ")} |`);
  }
  lines.push("", "| backend | interface | callable | of |", "|---|---|--:|--:|");
  for (const a of result.attackSurface.filter((row) => backends.some((b) => b.name === row.backend))) {
    lines.push(`| ${a.backend} | ${a.interface} | ${a.count ?? "?"} | ${a.of ?? "?"} |`);
  }
  return lines.join("\n");
}

const file = process.argv[2] ?? REFERENCE_RESULT;
process.stdout.write(`${referenceTables(CompareResult.parse(JSON.parse(readFileSync(file, "utf8"))))}\n`);
