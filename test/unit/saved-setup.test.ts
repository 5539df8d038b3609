import { describe, expect, it } from "vitest";
import { loadSetup, saveSetup, type SavedSetup } from "../../web/setup/saved-setup.ts";

/** A Storage stand-in: a Map, optionally full. */
function storage(full = false) {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => {
      if (full) throw new DOMException("quota", "QuotaExceededError");
      items.set(key, value);
    },
  };
}

const setup: SavedSetup = {
  language: "python",
  codes: { python: "print(1)\n" },
  wasmExample: "hello",
  engine: "gated",
  policyText: '{"version": 1}',
  tools: [{ name: "kv", source: "async () => 1" }],
  args: "--x",
  stdin: "",
  timeoutText: "10",
  tracing: true,
  openFiles: ["notes.txt"],
  activeFile: "notes.txt",
};

describe("the setup kept per workspace", () => {
  it("round-trips, one entry per workspace", () => {
    const store = storage();
    expect(saveSetup("default", setup, store)).toBe(true);
    expect(saveSetup("other", { ...setup, language: "lua" }, store)).toBe(true);
    expect(loadSetup("default", store)).toEqual(setup);
    expect(loadSetup("other", store)?.language).toBe("lua");
    expect(loadSetup("missing", store)).toBeNull();
  });

  it("reads a damaged or foreign entry as none, never as a half setup", () => {
    const store = storage();
    for (const text of ["{", "null", "[]", JSON.stringify({ ...setup, language: "cobol" }), JSON.stringify({ ...setup, tools: "x" })]) {
      store.items.set("playpen.setup.default", text);
      expect(loadSetup("default", store)).toBeNull();
    }
  });

  it("says when storage refuses the save", () => {
    expect(saveSetup("default", setup, storage(true))).toBe(false);
  });
});
