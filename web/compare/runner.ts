/**
 * The page's side of the local native runner, served on the page's own origin
 * under /native/ when the playground is started with `npm start`. Every
 * request carries the token the terminal printed.
 */
import { z } from "zod";
import { parseCompareResult, type CompareResult } from "./result.ts";

export const NO_RUNNER_MESSAGE = "No local runner: start the playground with `npm start` to run native backends live; showing the reference result.";

const RunnerBackend = z.object({
  name: z.string(),
  title: z.string(),
  kind: z.enum(["native", "wasm"]),
  available: z.boolean(),
  version: z.string().optional(),
  reason: z.string().optional(),
});
export type RunnerBackend = z.infer<typeof RunnerBackend>;

const RunnerStatus = z.object({ ok: z.literal(true), busy: z.boolean(), backends: z.array(RunnerBackend) });
export type RunnerStatus = z.infer<typeof RunnerStatus>;

export type StatusAnswer =
  | { state: "absent" }
  | { state: "unauthorized" }
  | { state: "ready"; status: RunnerStatus }
  | { state: "error"; message: string };

export interface CompareRequest {
  backends?: string[];
  workloads?: string[];
  samples?: number;
  probes?: boolean;
}

/** Lines of the POST /native/compare stream. */
const StreamLine = z.discriminatedUnion("type", [
  z.object({ type: z.literal("log"), line: z.string() }),
  z.object({ type: z.literal("result"), result: z.unknown() }),
  z.object({ type: z.literal("error"), message: z.string() }),
]);

function headers(token: string): HeadersInit {
  return { Authorization: `Bearer ${token}` };
}

/** Answers that are not the runner's JSON (a static server's 404 or its index.html fallback) mean no runner. */
function isJson(response: Response): boolean {
  return (response.headers.get("content-type") ?? "").includes("json");
}

export async function runnerStatus(token: string, signal?: AbortSignal): Promise<StatusAnswer> {
  let response: Response;
  try {
    response = await fetch(`${import.meta.env.BASE_URL}native/status`, { headers: headers(token), signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    return { state: "absent" };
  }
  if (response.status === 401) return { state: "unauthorized" };
  if (response.status === 404 || !isJson(response)) return { state: "absent" };
  if (!response.ok) return { state: "error", message: `the runner answered HTTP ${response.status}: ${await response.text()}` };
  const parsed = RunnerStatus.safeParse(await response.json());
  if (!parsed.success) return { state: "error", message: `the runner's status is not what this page expects: ${parsed.error.issues[0]?.message}` };
  return { state: "ready", status: parsed.data };
}

/** Splits a byte stream into complete lines, holding a partial last line until the rest arrives. */
export class LineSplitter {
  #decoder = new TextDecoder();
  #pending = "";

  push(chunk: Uint8Array): string[] {
    this.#pending += this.#decoder.decode(chunk, { stream: true });
    const lines = this.#pending.split("\n");
    this.#pending = lines.pop()!;
    return lines.filter((line) => line.trim() !== "");
  }

  /** What is left when the stream ends (a last line without a newline). */
  end(): string[] {
    const rest = this.#pending + this.#decoder.decode();
    this.#pending = "";
    return rest.trim() === "" ? [] : [rest];
  }
}

/** The runner's `{ "error": "…" }` body, or the start of whatever else came back. */
function errorText(body: string): string {
  try {
    const error: unknown = (JSON.parse(body) as { error?: unknown }).error;
    if (typeof error === "string") return error;
  } catch {
    // not the runner's JSON
  }
  return body.slice(0, 500);
}

/** Why the runner refused a request, in words a person can act on. */
function refusal(status: number, body: string): string {
  switch (status) {
    case 401:
      return "the runner refused the token (401): paste the token the terminal printed when the playground started";
    case 409:
      return "the runner is busy with another comparison (409): wait for it to finish";
    case 400:
      return `the runner rejected the request (400): ${body}`;
    default:
      return `the runner answered HTTP ${status}: ${body}`;
  }
}

/**
 * POST /native/compare and read its NDJSON stream as it arrives: each log
 * line goes to `onLog`, the result line is validated and returned.
 */
export async function runNativeCompare(token: string, request: CompareRequest, options: { signal?: AbortSignal; onLog: (line: string) => void }): Promise<CompareResult> {
  const response = await fetch(`${import.meta.env.BASE_URL}native/compare`, {
    method: "POST",
    headers: { ...headers(token), "Content-Type": "application/json" },
    body: JSON.stringify(request),
    signal: options.signal,
  });
  if (!response.ok) throw new Error(refusal(response.status, errorText(await response.text())));
  if (!response.body) throw new Error("the runner's answer has no body");
  const reader = response.body.getReader();
  const splitter = new LineSplitter();
  let result: CompareResult | undefined;
  const handle = (text: string) => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`the runner sent a line that is not JSON: ${text.slice(0, 200)}`);
    }
    const line = StreamLine.safeParse(json);
    if (!line.success) throw new Error(`the runner sent an unknown line: ${text.slice(0, 200)}`);
    if (line.data.type === "log") options.onLog(line.data.line);
    else if (line.data.type === "error") throw new Error(`the native run failed: ${line.data.message}`);
    else result = parseCompareResult(line.data.result, "the runner's result");
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    splitter.push(value).forEach(handle);
  }
  splitter.end().forEach(handle);
  if (!result) throw new Error("the runner's stream ended without a result");
  return result;
}
