import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import type { Engine, EngineName, RunRequest, RunResult, Sandbox, ScriptLanguage } from "../../wasm-runtime/index.ts";
import { parsePolicy } from "../../wasm-runtime/policy/index.ts";

/** What one language must do on both engines (issue 4's per-runtime checks), as code in that language. */
interface LanguageChecks {
  hello: string;
  /** Prints its two arguments, comma-separated. */
  args: string;
  /** Prints the variable GREETING. */
  env?: string;
  /** Prints stdin upper-cased. */
  stdin?: string;
  /** Reads data.txt ("data"), writes it with "!" to out.txt, prints out.txt read back. */
  files: string;
  /** Exits with status 3. */
  exit: string;
  /** Fails on line 3; the pattern names that line in the message. */
  error: { code: string; names: RegExp };
  runaway: string;
}

const CHECKS: Partial<Record<ScriptLanguage, LanguageChecks>> = {
  javascript: {
    hello: 'console.log("hello")',
    args: 'console.log(scriptArgs.slice(1).join(","))',
    env: 'console.log(std.getenv("GREETING"))',
    stdin: "console.log(std.in.readAsString().toUpperCase())",
    files: 'const f = std.open("out.txt", "w");\nf.puts(std.loadFile("data.txt") + "!");\nf.close();\nconsole.log(std.loadFile("/workspace/out.txt"))',
    exit: "std.exit(3)",
    error: { code: "const a = 1;\nfunction f() { return null.x; }\nf();\n", names: /main\.js:3/ },
    runaway: "for (;;) {}",
  },
  lua: {
    hello: 'print("hello")',
    args: 'print(arg[1] .. "," .. arg[2])',
    env: 'print(os.getenv("GREETING"))',
    stdin: 'print(io.read("a"):upper())',
    files: 'local f = io.open("out.txt", "w")\nf:write(io.open("data.txt"):read("a") .. "!")\nf:close()\nprint(io.open("/workspace/out.txt"):read("a"))',
    exit: "os.exit(3)",
    error: { code: "local a = 1\nlocal b = 2\nerror('boom')\n", names: /main\.lua:3: boom/ },
    runaway: "while true do end",
  },
  sql: {
    hello: "select 'hello';",
    // Arguments are sqlite3 options: two of them shape the output.
    args: "select 'x' as a, 'y' as b;",
    files: "create table t(x);\ninsert into t values ('data!');\nselect x from t;",
    exit: "select 1;\n.exit 3",
    error: { code: "select 1;\nselect 2;\nselect * from missing_table;\n", names: /line 3: no such table: missing_table/ },
    runaway: "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c;",
  },
};

const grantGreeting = parsePolicy({ version: 1, files: [{ path: "/workspace/**", access: "write" }], env: [{ name: "GREETING" }] });

describe.each<EngineName>(["wasmer", "gated"])("languages on the %s engine", (engineName) => {
  let engine: Engine;
  beforeAll(() => {
    engine = createNodeEngine(engineName);
  });
  afterAll(() => engine.close());

  async function run(language: ScriptLanguage, code: string, request: Partial<RunRequest> = {}, sandbox?: Sandbox): Promise<RunResult> {
    const own = sandbox ?? (await engine.createSandbox({ files: { "data.txt": "data" }, env: { GREETING: "hi" } }));
    try {
      return await own.run({ program: { language, code }, timeoutMs: 20_000, ...request }).result;
    } finally {
      if (!sandbox) await own.close();
    }
  }

  describe.each(Object.entries(CHECKS) as [ScriptLanguage, LanguageChecks][])("%s", (language, checks) => {
    it("says hello", async () => {
      const result = await run(language, checks.hello);
      expect(result.stderr).toBe("");
      expect(result.stdout).toBe("hello\n");
      expect(result.exitCode).toBe(0);
    });

    it("gets its arguments", async () => {
      const result = await run(language, checks.args, { args: language === "sql" ? ["-csv", "-header"] : ["a", "b c"] });
      expect(result.stdout).toBe(language === "sql" ? "a,b\nx,y\n" : "a,b c\n");
    });

    it.runIf(checks.env !== undefined)("sees a granted variable", async () => {
      // The gated engine shows a variable only when the policy grants it; Wasmer passes the sandbox's.
      const result = await run(language, checks.env!, engineName === "gated" ? { policy: grantGreeting } : {});
      expect(result.stdout).toBe("hi\n");
    });

    it.runIf(engineName === "gated" && checks.env !== undefined)("does not see an ungranted variable", async () => {
      const result = await run(language, checks.env!);
      expect(result.stdout).not.toContain("hi");
      expect(result.audit?.some((e) => e.decision === "deny" && e.resource === "GREETING")).toBe(true);
    });

    it.runIf(checks.stdin !== undefined)("reads stdin", async () => {
      const result = await run(language, checks.stdin!, { stdin: "abc" });
      expect(result.stdout).toBe("ABC\n");
    });

    it("reads and writes files in the workspace, kept from run to run", async () => {
      const sandbox = await engine.createSandbox({ files: { "data.txt": "data" } });
      try {
        const result = await run(language, checks.files, {}, sandbox);
        expect(result.stderr).toBe("");
        expect(result.stdout).toBe("data!\n");
        if (language === "sql") {
          // The database is /workspace/db.sqlite: the table is still there in the next run.
          const again = await run(language, "select count(*) from t;", {}, sandbox);
          expect(again.stdout).toBe("1\n");
        }
      } finally {
        await sandbox.close();
      }
    });

    it("exits with its own status", async () => {
      const result = await run(language, checks.exit);
      expect(result.reason).toBe("exited");
      expect(result.exitCode).toBe(3);
    });

    it("names the failing line", async () => {
      const result = await run(language, checks.error.code);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(checks.error.names);
    });

    it("is stopped by the time limit", async () => {
      const result = await run(language, checks.runaway, { timeoutMs: 1500 });
      expect(result.reason).toBe("timeout");
    }, 15_000);
  });

  it("lua: pcall catches an error and coroutines yield (setjmp through wasm exceptions)", async () => {
    const code = 'print(pcall(error, "caught"))\nlocal co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)\nprint(co(), co(), co())';
    const result = await run("lua", code);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("false\tcaught\n1\t2\t3\n");
  });

  it("javascript: number formatting rounds ties away from zero, as JavaScript specifies", async () => {
    const result = await run("javascript", "console.log((2.5).toFixed(0), (0.125).toFixed(2), (1.005).toFixed(2), (-2.5).toFixed(0), (99.95).toFixed(1))");
    expect(result.stdout).toBe("3 0.13 1.00 -3 100.0\n");
  });
});
