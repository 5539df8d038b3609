/**
 * The local runner server, started in-process on 127.0.0.1 with a known
 * token and only the plain backend (fast): the token on every request, the
 * NDJSON stream of a live comparison, one comparison at a time, bad bodies.
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlain } from "../../native/backends/plain.ts";
import { CompareResult } from "../../native/result-schema.ts";
import { createNativeRunner } from "../../native/server.ts";

const TOKEN = "0123456789abcdef".repeat(3);
let server: Server;
let base: string;

beforeAll(async () => {
  const handle = createNativeRunner({ token: TOKEN, backends: () => [createPlain()] });
  server = createServer((request, response) => {
    handle(request, response).then((handled) => {
      if (!handled) response.writeHead(404).end("not the runner's");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const auth = (token = TOKEN) => ({ Authorization: `Bearer ${token}` });
const post = (body: unknown, token = TOKEN) =>
  fetch(`${base}/native/compare`, { method: "POST", headers: { ...auth(token), "Content-Type": "application/json" }, body: JSON.stringify(body) });

type Line = { type: "log"; line: string } | { type: "result"; result: unknown } | { type: "error"; message: string };
async function lines(response: Response): Promise<Line[]> {
  return (await response.text()).trim().split("\n").map((line) => JSON.parse(line) as Line);
}

describe("native runner server", () => {
  it("answers 401 with a JSON error without the token or with a wrong one, on every endpoint", async () => {
    for (const init of [{}, { headers: auth("x".repeat(TOKEN.length)) }, { headers: auth(TOKEN.slice(1)) }, { headers: { Authorization: TOKEN } }]) {
      const response = await fetch(`${base}/native/status`, init);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: string }).error).toMatch(/token/);
    }
    const compare = await post({ backends: ["plain"] }, "wrong");
    expect(compare.status).toBe(401);
  });

  it("leaves other paths to the next handler", async () => {
    const response = await fetch(`${base}/index.html`);
    expect(await response.text()).toBe("not the runner's");
  });

  it("reports its backends and that it is idle", async () => {
    const response = await fetch(`${base}/native/status`, { headers: auth() });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ok: true,
      busy: false,
      backends: [{ name: "plain", title: "Plain process (no sandbox)", kind: "native", available: true, version: expect.stringMatching(/child_process/) }],
    });
  });

  it("streams log lines, then one result that validates against the schema", { timeout: 60_000 }, async () => {
    const response = await post({ backends: ["plain"], workloads: ["hello"], samples: 2 });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    const stream = await lines(response);
    expect(stream.slice(0, -1).every((l) => l.type === "log")).toBe(true);
    expect(stream.some((l) => l.type === "log" && /plain\s+hello\s+median/.test(l.line))).toBe(true);
    const last = stream.at(-1)!;
    expect(last.type).toBe("result");
    const result = CompareResult.parse((last as { result: unknown }).result);
    expect(result.schema).toBe("playpen-compare/2");
    expect(result.measurements).toMatchObject([{ backend: "plain", workload: "hello", failures: 0 }]);
    expect(result.measurements[0]!.samples).toHaveLength(2);
    expect(result.backends).toMatchObject([{ name: "plain", kind: "native", available: true }]);
    expect(result.attackSurface).toMatchObject([{ backend: "plain", interface: "syscalls" }]);
  });

  it("answers 409 while a comparison runs", { timeout: 60_000 }, async () => {
    const first = post({ backends: ["plain"], workloads: ["cpu"], samples: 3 });
    // Wait until the first one holds the runner, then try a second.
    for (let i = 0; i < 100; i++) {
      const status = (await (await fetch(`${base}/native/status`, { headers: auth() })).json()) as { busy: boolean };
      if (status.busy) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const second = await post({ backends: ["plain"], workloads: ["hello"] });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: string }).error).toMatch(/already running/);
    const done = await lines(await first);
    expect(done.at(-1)!.type).toBe("result");
  });

  it("answers 400 naming the bad field", async () => {
    const cases: [unknown, RegExp][] = [
      [{ samples: 0 }, /^samples:/],
      [{ samples: 21 }, /^samples:/],
      [{ workloads: ["nope"] }, /^workloads\.0:/],
      [{ probes: "yes" }, /^probes:/],
      [{ extra: 1 }, /extra/],
      [{ backends: ["wasm-gated-node"] }, /^backends: unknown or not run here: wasm-gated-node/],
    ];
    for (const [body, error] of cases) {
      const response = await post(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(error);
    }
    const notJson = await fetch(`${base}/native/compare`, { method: "POST", headers: auth(), body: "{" });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/not JSON/);
  });
});
