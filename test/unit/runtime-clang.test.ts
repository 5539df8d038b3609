import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import type { Engine, EngineName, Sandbox } from "../../wasm-runtime/index.ts";
import { clangResourcesMount, compileAndRunC } from "../../wasm-runtime/languages/c.ts";
import { PRESETS } from "../../wasm-runtime/policy/index.ts";
import type { RunRequest } from "../../wasm-runtime/types.ts";
import type { Mount } from "../../wasm-runtime/workspace/index.ts";

const open = PRESETS.find((p) => p.id === "open")!.policy;
let resources: Mount;

beforeAll(async () => {
  resources = clangResourcesMount(new Uint8Array(await readFile(new URL("../../public/runtimes/clang-resources.tar", import.meta.url))));
});

/** C compiled by clang and wasm-ld inside the sandbox, then run, on both engines. */
describe.each<EngineName>(["wasmer", "gated"])("C on the %s engine", (name) => {
  let engine: Engine;
  let sandbox: Sandbox;

  beforeAll(async () => {
    engine = createNodeEngine(name);
    sandbox = await engine.createSandbox({ files: { "data.txt": "12 30\n" }, env: { GREETING: "hej" } });
  }, 120_000);

  afterAll(async () => {
    await sandbox?.close();
    // @wasmer/sdk's close can wait for a killed guest that spins without system calls (the runaway loop below).
    await Promise.race([engine?.close(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }, 30_000);

  const c = (code: string, extra: Omit<Partial<RunRequest>, "program"> = {}) =>
    compileAndRunC(sandbox, { timeoutMs: 60_000, ...extra }, code, async () => resources).result;

  it("compiles and runs hello world, with arguments", async () => {
    const result = await c('#include <stdio.h>\nint main(int argc, char **argv) {\n  printf("hello from C:");\n  for (int i = 1; i < argc; i++) printf(" [%s]", argv[i]);\n  printf("\\n");\n}\n', {
      args: ["one", "two words"],
    });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("hello from C: [one] [two words]\n");
    expect(result.exitCode).toBe(0);
  }, 120_000);

  it("sees the environment the policy grants, and reads stdin", async () => {
    const code = '#include <stdio.h>\n#include <stdlib.h>\nint main(void) {\n  char line[64];\n  fgets(line, sizeof line, stdin);\n  printf("%s %s", getenv("GREETING") ? getenv("GREETING") : "none", line);\n}\n';
    // The Wasmer engine passes the sandbox's environment as it is; the gated one needs a grant.
    const result = await c(code, { stdin: "from stdin\n", ...(name === "gated" && { policy: open }) });
    expect(result.stdout).toBe("hej from stdin\n");
  }, 120_000);

  it("reads and writes files in the workspace", async () => {
    const code = '#include <stdio.h>\nint main(void) {\n  int a, b;\n  FILE *in = fopen("/workspace/data.txt", "r");\n  fscanf(in, "%d %d", &a, &b);\n  FILE *out = fopen("/workspace/sum.txt", "w");\n  fprintf(out, "%d", a + b);\n  fclose(out);\n}\n';
    const result = await c(code);
    expect(result.exitCode).toBe(0);
    expect(new TextDecoder().decode(await sandbox.readFile("/workspace/sum.txt"))).toBe("42");
  }, 120_000);

  it("exits with the program's status", async () => {
    expect((await c("int main(void) { return 7; }\n")).exitCode).toBe(7);
  }, 120_000);

  it("reports a compile error with file:line:col and a non-zero status, and runs nothing", async () => {
    const result = await c('#include <stdio.h>\nint main(void) {\n  printf("never\\n");\n  return missing;\n}\n');
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^\/workspace\/main\.c:4:10: error: use of undeclared identifier 'missing'/);
  }, 120_000);

  it("reports a link error", async () => {
    const result = await c("void nowhere(void);\nint main(void) { nowhere(); }\n");
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/undefined symbol: nowhere/);
  }, 120_000);

  it("does not count compiling against the program's time limit", async () => {
    // Compiling and linking take far longer than 200 ms; the program itself takes none of it.
    const started = performance.now();
    const result = await c('#include <stdio.h>\nint main(void) { printf("in time\\n"); }\n', { timeoutMs: 200 });
    expect(performance.now() - started).toBeGreaterThan(200);
    expect(result.reason).toBe("exited");
    expect(result.stdout).toBe("in time\n");
  }, 120_000);

  it("stops a runaway loop at the time limit", async () => {
    const result = await c("int main(void) { volatile int x = 0; for (;;) x++; }\n", { timeoutMs: 20_000 });
    expect(result.reason).toBe("timeout");
    expect(result.exitCode).toBe(124);
  }, 120_000);
});
