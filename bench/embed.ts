/**
 * Issue 19's figures: the bundles a page loads to embed Playpen, and the time
 * to the first output of an embedded Python snippet on a cold browser profile
 * (empty HTTP and code caches), from dist/ on a plain static server with no
 * headers — the way a course page would use it. Rewrites its own section of
 * docs/benchmarks.md.
 *
 * Usage: npm run build && npx tsx bench/embed.ts [--samples N] [--no-write]
 */
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { writeDocSection } from "./lib/doc-section.ts";
import { gzipSync } from "node:zlib";
import { launchBrowser } from "../test/support/browser.ts";
import { startStaticServer } from "../test/support/static-server.ts";
import { series, type Series } from "./lib/stats.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const DIST = path.join(ROOT, "dist");

const { values } = parseArgs({ options: { samples: { type: "string", default: "5" }, "no-write": { type: "boolean", default: false } } });
const samples = Number(values.samples);

interface Bundle {
  label: string;
  files: string[];
  bytes: number;
  gzipBytes: number;
}

// How Vite's output refers to other scripts: static imports, dynamic imports (and the preload list beside
// them, relative to the site), and workers (`new URL("/assets/x.worker-….js", import.meta.url)`).
const STATIC_IMPORT = /(?:from|import)\s*["'](\.{1,2}\/[^"']+\.js)["']/g;
const DYNAMIC_IMPORT = /import\(\s*[`"'](\.{1,2}\/[^`"']+\.js)[`"']\s*\)/g;
const SITE_SCRIPT = /[`"']\/?(assets\/[^`"']+\.js)[`"']/g;

/** Every script reachable from `entries` by static imports (and, with `lazy`, dynamic imports and worker URLs). */
function closure(entries: readonly string[], lazy: boolean): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const pattern of lazy ? [STATIC_IMPORT, DYNAMIC_IMPORT] : [STATIC_IMPORT]) {
      for (const match of text.matchAll(pattern)) queue.push(path.resolve(path.dirname(file), match[1]!));
    }
    if (lazy) for (const match of text.matchAll(SITE_SCRIPT)) queue.push(path.join(DIST, match[1]!));
  }
  return seen;
}

function bundle(label: string, files: Iterable<string>): Bundle {
  const list = [...files].sort();
  const bytes = list.reduce((sum, f) => sum + readFileSync(f).length, 0);
  const gzipBytes = list.reduce((sum, f) => sum + gzipSync(readFileSync(f)).length, 0);
  return { label, files: list.map((f) => path.relative(DIST, f)), bytes, gzipBytes };
}

function appEntry(): string {
  const html = readFileSync(path.join(DIST, "index.html"), "utf8");
  const src = /<script type="module"[^>]*src="\/?([^"]+)"/.exec(html)?.[1];
  if (!src) throw new Error("dist/index.html has no module script");
  return path.join(DIST, src);
}

/** Cold profile: open the demo page, press Run on its Python snippet, time until its first output shows. */
async function firstOutput(url: string): Promise<{ clickToOutput: number; loadToOutput: number }> {
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await page.goto(url);
    return await page.evaluate(async () => {
      await customElements.whenDefined("playpen-run");
      const root = document.getElementById("python")!.shadowRoot!;
      const output = root.querySelector('[data-testid="embed-output"]')!;
      const shown = new Promise<void>((resolve) => {
        const watch = new MutationObserver(() => output.textContent && (watch.disconnect(), resolve()));
        watch.observe(output, { childList: true, subtree: true, characterData: true });
      });
      const clicked = performance.now();
      root.querySelector<HTMLButtonElement>('[data-testid="embed-run"]')!.click();
      await shown;
      return { clickToOutput: performance.now() - clicked, loadToOutput: performance.now() };
    });
  } finally {
    await browser.close();
  }
}

if (!existsSync(path.join(DIST, "embed.js"))) throw new Error("no dist/embed.js: run `npm run build` first");
const embedEager = closure([path.join(DIST, "embed.js")], false);
const embedAll = closure([path.join(DIST, "embed.js")], true);
const appEager = closure([appEntry()], false);
const bundles = [
  bundle("`embed.js` and what it imports (every embedding page)", embedEager),
  bundle("the sandbox, loaded on a snippet's first Run (scripts and workers)", [...embedAll].filter((f) => !embedEager.has(f))),
  bundle("the app's start-up scripts (for comparison)", appEager),
];

const server = await startStaticServer(DIST);
const runs: { clickToOutput: number; loadToOutput: number }[] = [];
try {
  for (let i = 0; i < samples; i++) {
    runs.push(await firstOutput(`${server.url}embed-demo.html`));
    console.log(`sample ${i + 1}/${samples}: first output ${runs.at(-1)!.clickToOutput.toFixed(0)} ms after Run`);
  }
} finally {
  await server.close();
}
const timings: Series[] = [
  series("Run pressed → first output (cold profile)", runs.map((r) => r.clickToOutput)),
  series("page load → first output (Run pressed at load)", runs.map((r) => r.loadToOutput)),
];

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const load = os.loadavg();
const section = [
  `Measured on ${new Date().toISOString().replace(/\.\d+Z$/, "Z")} by \`bench/embed.ts\` (${samples} cold profiles; ${os.cpus()[0]?.model.trim()}, ${os.cpus().length} cores, load average ${load.map((l) => l.toFixed(1)).join(" ")} at the end). Served by a plain static server with no headers; the snippet runs on the gated engine under *Workspace only*.`,
  "",
  "| bundle | files | size | gzip |",
  "|---|---|---|---|",
  ...bundles.map((b) => `| ${b.label} | ${b.files.length} | ${kib(b.bytes)} | ${kib(b.gzipBytes)} |`),
  "",
  "| time to the first output of an embedded `print`-style Python snippet | median | min | max |",
  "|---|---|---|---|",
  ...timings.map((t) => `| ${t.label} | ${t.median} ms | ${t.min} ms | ${t.max} ms |`),
  "",
  "The Python runtime (13 MB) is downloaded and compiled on the first Run; the figures include it. The sandbox worker also loads @wasmer/sdk's own files (not counted above).",
].join("\n");
console.log(section);

if (!values["no-write"]) {
  writeDocSection("embed", section, "## Embedding\n\nIssue 19: how much a page loads to embed Playpen, and how soon a snippet answers ([embed.md](embed.md)).");
}
