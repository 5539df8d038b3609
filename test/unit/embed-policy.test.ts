import { describe, expect, it } from "vitest";
import { embedPolicy } from "../../web/embed/embed-runner.ts";
import { PolicyError, PRESETS } from "../../wasm-runtime/policy/index.ts";

describe("<playpen-run policy=…>", () => {
  it("names a preset by id, and Locked down also as locked-down", () => {
    for (const preset of PRESETS) expect(embedPolicy(preset.id)).toBe(preset.policy);
    expect(embedPolicy("locked-down").name).toBe("Locked down");
  });

  it("takes inline policy JSON, checked like any policy", () => {
    expect(embedPolicy('{"version":1,"files":[{"path":"/workspace/**","access":"read"}]}').files).toHaveLength(1);
    expect(() => embedPolicy('{"version":1,"files":[{"path":"/workspace/**","access":"everything"}]}')).toThrow(PolicyError);
  });

  it("refuses an unknown preset, naming the ones there are", () => {
    expect(() => embedPolicy("paranoid")).toThrow(/unknown policy "paranoid": a preset \(open, workspace, no-network, locked, locked-down\)/);
  });
});
