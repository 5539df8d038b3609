/** Small pieces every benchmark uses: logging, repetition and reading what the programs print. */

export function log(message: string): void {
  console.error(`[bench] ${message}`);
}

/** Runs `warmup` untimed then `samples` timed iterations of one step (the index is negative while warming up). */
export async function repeat<T>(what: string, warmup: number, samples: number, step: (index: number) => Promise<T>): Promise<T[]> {
  for (let i = 0; i < warmup; i++) await step(-1 - i);
  const out: T[] = [];
  for (let i = 0; i < samples; i++) out.push(await step(i));
  log(`${what}: ${samples} samples`);
  return out;
}

/** The value of a `name: value` line of a program's output. */
export function field(output: string, name: string, what: string): string {
  const match = new RegExp(`^${name}:\\s*(\\S+)\\s*$`, "m").exec(output);
  if (!match) throw new Error(`${what}: no "${name}:" line in its output:\n${output.slice(-500)}`);
  return match[1]!;
}

/** The one value all runs agree on; an error naming the values when they do not. */
export function sameChecksums(what: string, checksums: readonly string[]): string {
  const distinct = [...new Set(checksums)];
  if (distinct.length !== 1) throw new Error(`${what}: checksums differ between runs: ${distinct.join(", ")}`);
  return distinct[0]!;
}

/** A WASI clock may tick in whole milliseconds (Wasmer's does): say so when every reading says so. */
export function clockNote(wasiReadings: readonly number[], who = "the WASI build"): string[] {
  return wasiReadings.every(Number.isInteger)
    ? [`Every time ${who} printed is a whole number of milliseconds: its clock has a 1 ms resolution in the sandbox, so short WASI phases are only good to ±1 ms.`]
    : [];
}

/** `items` rotated left by `by`: sample i runs its contenders in order rotate(order, i), so none always goes first. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  const n = items.length;
  const k = ((by % n) + n) % n;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** What a finished run reports, in the page (PageRun) or from an engine (RunResult). */
interface Finished {
  reason: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  error?: string;
}

/** The run, if it exited with status 0; otherwise an error with the end of its output. */
export function expectOk<T extends Finished>(what: string, run: T): T {
  if (run.reason !== "exited" || run.exitCode !== 0) {
    throw new Error(
      `${what}: the run ended with ${run.reason} ${run.exitCode}${run.error ? ` (${run.error})` : ""}\nstdout: ${run.stdout.slice(-500)}\nstderr: ${run.stderr.slice(-1000)}`,
    );
  }
  return run;
}
