import { describe, expect, it } from "vitest";
import { CapturedOutput } from "../../wasm-runtime/engine/captured-output.ts";
import { SecretRedactor } from "../../wasm-runtime/engine/redact.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("secrets never leave in clear", () => {
  it("hides every occurrence, the longer secret first", () => {
    const redactor = new SecretRedactor({ KEY: "abc123", LONG: "abc123-extended" });
    expect(redactor.take("x abc123 y abc123-extended z", true).shown).toBe("x «secret KEY» y «secret LONG» z");
  });

  it("catches a secret split across writes, in the stream and in the result", () => {
    const streamed: string[] = [];
    const output = new CapturedOutput(1 << 20, (_stream, text) => streamed.push(text), { TOKEN: "s3cr3t-token" });
    output.push("stdout", bytes("the token is s3cr"));
    output.flush();
    output.push("stdout", bytes("3t-token, done\n"));
    const result = output.result();
    expect(result.stdout).toBe("the token is «secret TOKEN», done\n");
    expect(streamed.join("")).toBe(result.stdout);
    expect(streamed.join("")).not.toContain("s3cr3t");
  });

  it("shows held text at the end when it was not a secret after all", () => {
    const output = new CapturedOutput(1 << 20, undefined, { TOKEN: "s3cr3t" });
    output.push("stderr", bytes("almost s3cr"));
    expect(output.result().stderr).toBe("almost s3cr");
  });
});
