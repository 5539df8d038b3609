import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { BUSYBOX_COMMANDS } from "../../wasm-runtime/shell/commands.ts";

it("the shell knows exactly the applets busybox.wasm was built with", () => {
  const manifest = JSON.parse(readFileSync(new URL("../../public/runtimes/manifest.json", import.meta.url), "utf8")) as {
    runtimes: { name: string; commands?: string[] }[];
  };
  const applets = manifest.runtimes.find((r) => r.name === "busybox")?.commands ?? [];
  expect(applets.length).toBeGreaterThan(50);
  expect([...BUSYBOX_COMMANDS].sort()).toEqual([...applets].sort());
});
