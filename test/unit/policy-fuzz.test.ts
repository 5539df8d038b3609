/**
 * Fuzzing the policy parser: whatever the text, parsePolicyJson returns a
 * Policy or throws a PolicyError — never anything else, never half a policy.
 * Fixed seed and a small budget in CI; a longer run:
 *   PLAYPEN_FUZZ_RUNS=20000 npx vitest run test/unit/policy-fuzz.test.ts
 * (PLAYPEN_FUZZ_SEED=n picks another seed.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compilePolicy, parsePolicy, parsePolicyJson, PolicyError, type Policy } from "../../wasm-runtime/policy/index.ts";
import { JsonSyntaxError, parseStrictJson } from "../../wasm-runtime/policy/strict-json.ts";

const RUNS = Number(process.env.PLAYPEN_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.PLAYPEN_FUZZ_SEED ?? 20261207);
const settings = { seed: SEED, numRuns: RUNS };

/** Policy, PolicyError, or the test fails with whatever else came out. */
function outcome(text: string): Policy | PolicyError {
  try {
    return parsePolicyJson(text);
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw new Error(`parsePolicyJson threw something other than a PolicyError for ${JSON.stringify(text).slice(0, 300)}`, { cause: error });
  }
}

const anyJson = fc.jsonValue({ maxDepth: 2 });
type Wrap = <T>(arb: fc.Arbitrary<T>) => fc.Arbitrary<unknown>;
/** Sometimes any JSON at all instead (wrong types). */
const fuzzy: Wrap = (arb) => fc.oneof({ weight: 8, arbitrary: arb }, { weight: 1, arbitrary: anyJson });

/** A policy document; with `valid`, one the schema accepts, else plausible with wrong types, bad values and unknown fields. */
function documentArb(valid: boolean): fc.Arbitrary<unknown> {
  const p: Wrap = valid ? (arb) => arb : fuzzy;
  const pick = <T,>(good: T[], bad: T[]) => p(fc.constantFrom(...good, ...(valid ? [] : bad)));
  const decision = pick(["allow", "ask", "deny"], ["Deny"]);
  const segment = pick(["workspace", "a", "b", "*", "**", "?", "x*", "ü"], [".", "..", "", "a**"]);
  const pathGlob = p(fc.oneof(fc.array(segment, { maxLength: 4 }).map((s) => `/${s.join("/")}`), pick(["/"], ["relative", "/a/"])));
  const host = pick(
    ["*", "*.example.com", "example.com", "EXAMPLE.com.", "bücher.de", "127.0.0.1", "2130706433", "0x7f.1", "::1", "[::ffff:127.0.0.1]", "10.0.0.0/8", "fd00::/8", "localhost"],
    ["127.0.0.1/33", "a:80", "http://x", "*.*.a", "", "a b"],
  );
  const name = pick(["*", "HOME", "AWS_?"], ["has space", "a=b", ""]);
  const int = (min: number, max: number) => p(valid ? fc.integer({ min, max }) : fc.oneof(fc.integer({ min: min - 2, max: max + 2 }), fc.double({ noNaN: true })));
  const fileRule = fc.record({ path: pathGlob, access: pick(["read", "write"], ["none", "exec"]), decision }, { requiredKeys: valid ? ["path", "access"] : [] });
  const networkRule = fc.record(
    { host, port: int(1, 65535), methods: p(fc.array(pick(["GET", "post"], ["G3T"]), { minLength: 1, maxLength: 3 })), pathPrefix: pick(["/v1", "/v1/", "/"], ["v1", "/a?b"]), decision },
    { requiredKeys: valid ? ["host"] : [] },
  );
  const nameRule = fc.record({ name, decision }, { requiredKeys: valid ? ["name"] : [] });
  const toolRule = fc.record({ name, perMinute: int(1, 1000) }, { requiredKeys: valid ? ["name"] : [] });
  const rules = (rule: fc.Arbitrary<unknown>) => p(fc.array(p(rule), { maxLength: 4 }));
  const fields = {
    version: p(fc.constant(1)),
    name: p(fc.string({ minLength: 1, maxLength: 5 })),
    files: rules(fileRule),
    network: rules(networkRule),
    env: rules(nameRule),
    secrets: rules(nameRule),
    tools: rules(toolRule),
    clock: p(fc.record({ resolutionMs: int(0, 1000) }, { requiredKeys: [] })),
    random: p(fc.record({ seed: p(fc.option(int(0, 1000))) }, { requiredKeys: [] })),
    limits: p(fc.record({ wallMs: int(1, 1000), memoryMiB: int(1, 4096), stdoutBytes: int(1, 1000), workspaceBytes: int(1, 1000) }, { requiredKeys: [] })),
  };
  return valid ? fc.record(fields, { requiredKeys: ["version"] }) : fc.record({ ...fields, versoin: anyJson }, { requiredKeys: [] });
}

/** A document's text, sometimes damaged: cut short, a character replaced, or a field written twice. */
const documentText = fc
  .tuple(fc.oneof(documentArb(true), documentArb(false)), fc.nat(), fc.constantFrom("as is", "as is", "cut", "replace", "duplicate"), fc.constantFrom("{", "}", "[", "]", ",", ":", '"', "\\", "\u0000", "1"))
  .map(([doc, at, damage, char]) => {
    const text = JSON.stringify(doc, null, at % 2 === 0 ? 0 : 1);
    const i = at % (text.length + 1);
    if (damage === "cut") return text.slice(0, i);
    if (damage === "replace") return text.slice(0, i) + char + text.slice(i + 1);
    if (damage === "duplicate") return text.replace(/^\{/, '{"files": [], ');
    return text;
  });

describe("parsePolicyJson under fuzzing", () => {
  it("generated documents, valid and invalid, give a Policy or a PolicyError; accepted ones compile and decide", () => {
    let accepted = 0;
    fc.assert(
      fc.property(documentText, (text) => {
        const result = outcome(text);
        if (result instanceof PolicyError) {
          expect(result.issues.length).toBeGreaterThan(0);
          for (const issue of result.issues) expect(issue.message).not.toBe("");
          return;
        }
        accepted++;
        expect(Object.isFrozen(result) && result.version === 1).toBe(true);
        // An accepted policy is the same whichever parser read it (no key was lost to a duplicate).
        expect(result).toEqual(parsePolicy(JSON.parse(text)));
        const decider = compilePolicy(result);
        for (const request of [
          { capability: "file", path: "/workspace/a", access: "write" },
          { capability: "network", host: "127.0.0.1", port: 80, method: "GET", path: "/v1/..%2fx" },
          { capability: "network", host: "example.com", port: 443, addresses: ["10.0.0.1"] },
          { capability: "tool", name: "http" },
        ] as const) {
          expect(["allow", "deny", "ask"]).toContain(decider.decide(request).decision);
        }
      }),
      settings,
    );
    // The generator must reach both outcomes, or it tests only one of them.
    expect(accepted).toBeGreaterThan(RUNS / 50);
  });

  it("every document written to the schema is accepted, from its JSON text as from its value", () => {
    fc.assert(
      fc.property(documentArb(true), (doc) => {
        const result = outcome(JSON.stringify(doc));
        if (result instanceof PolicyError) throw new Error(`refused a valid document ${JSON.stringify(doc)}: ${result.message}`);
        expect(result).toEqual(parsePolicy(doc));
      }),
      settings,
    );
  });

  it("any text at all gives a Policy or a PolicyError", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 }), fc.json({ maxDepth: 4 })), (text) => {
        outcome(text);
      }),
      settings,
    );
  });

  it("a field written twice anywhere is an error at its path, even when both copies are valid", () => {
    fc.assert(
      fc.property(fc.constantFrom("files", "limits", "files[0].access", "limits.wallMs"), (where) => {
        const docs: Record<string, string> = {
          files: '{"version":1,"files":[{"path":"/**","access":"write"}],"files":[]}',
          limits: '{"version":1,"limits":{},"limits":{}}',
          "files[0].access": '{"version":1,"files":[{"path":"/**","access":"read","access":"write"}]}',
          "limits.wallMs": '{"version":1,"limits":{"wallMs":1,"wallMs":2}}',
        };
        const result = outcome(docs[where]!);
        expect(result).toBeInstanceOf(PolicyError);
        expect((result as PolicyError).issues).toContainEqual({ path: where, message: expect.stringMatching(/^duplicate field/) });
      }),
      { ...settings, numRuns: 4 },
    );
  });
});

describe("the strict JSON parser", () => {
  it("reads every JSON text as JSON.parse does (no duplicate keys generated)", () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 5 }), (text) => {
        expect(parseStrictJson(text)).toEqual({ value: JSON.parse(text), duplicates: [] });
      }),
      settings,
    );
  });

  it("refuses exactly the texts JSON.parse refuses", () => {
    const jsonish = fc.array(fc.constantFrom("{", "}", "[", "]", ",", ":", '"a"', '"', "1", "-", "0", ".5", "e3", "true", "nul", " ", "\\u00e9", "\\x", "\n"), { maxLength: 12 }).map((t) => t.join(""));
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.string({ maxLength: 30 })), (text) => {
        let expected: unknown;
        try {
          expected = JSON.parse(text);
        } catch {
          expect(() => parseStrictJson(text)).toThrow(JsonSyntaxError);
          return;
        }
        expect(parseStrictJson(text).value).toEqual(expected);
      }),
      settings,
    );
  });

  it("keeps __proto__ as a field, bounds nesting, and says where the text breaks", () => {
    const { value } = parseStrictJson('{"__proto__": {"polluted": true}}');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(["__proto__"]);
    expect(() => parseStrictJson("[".repeat(100_000))).toThrow(/nested deeper than 64 levels at line 1, column 65/);
    expect(() => parseStrictJson('{\n  "a": 1,\n}')).toThrow(/expected a field name in quotes, found "}" at line 3, column 1/);
    // The same key spelled with an escape is the same key.
    expect(parseStrictJson('{"files":[],"\\u0066iles":[]}').duplicates).toEqual([{ path: ["files"] }]);
    expect(parseStrictJson('{"a":{"b":1,"b":2},"a":[{"c":0,"c":0}]}').duplicates).toEqual([{ path: ["a", "b"] }, { path: ["a"] }, { path: ["a", 0, "c"] }]);
  });
});
