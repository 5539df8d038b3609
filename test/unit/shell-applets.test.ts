import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { BUILTINS } from "../../wasm-runtime/shell/builtins.ts";
import { BUSYBOX_APPLETS } from "../../wasm-runtime/shell/commands.ts";

it("the shell reaches every applet busybox.wasm was built with (or has it as a builtin)", () => {
  const manifest = JSON.parse(readFileSync(new URL("../../public/runtimes/manifest.json", import.meta.url), "utf8")) as {
    runtimes: { name: string; commands?: string[] }[];
  };
  const applets = manifest.runtimes.find((r) => r.name === "busybox")?.commands ?? [];
  expect(applets.length).toBeGreaterThan(50);
  expect(applets.filter((a) => !BUSYBOX_APPLETS.has(a) && !(a in BUILTINS))).toEqual([]);
  expect([...BUSYBOX_APPLETS].filter((a) => !applets.includes(a))).toEqual([]);
});
