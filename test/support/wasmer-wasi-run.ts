/**
 * Runs one WASI module on the wasmer engine in a process of its own and prints
 * its result as JSON: @wasmer/sdk sometimes aborts the whole process (a Rust
 * assertion in path_unlink_file), which must not take a test runner with it.
 * Usage: node --import tsx wasmer-wasi-run.ts '{"module": PATH, "name", "args", "env"}'
 */
import { readFileSync } from "node:fs";
import { createNodeEngine } from "../../cli/src/node-engine.ts";

const job = JSON.parse(process.argv[2]!) as { module: string; name: string; args: string[]; env: Record<string, string> };
const engine = createNodeEngine("wasmer");
const sandbox = await engine.createSandbox({ env: job.env });
const program = { language: "wasm" as const, module: new Uint8Array(readFileSync(job.module)), name: job.name };
const result = await sandbox.run({ program, args: job.args, timeoutMs: 60_000 }).result;
process.stdout.write(JSON.stringify({ exitCode: result.exitCode, stdout: result.stdout, error: result.error }));
process.exit(0);
