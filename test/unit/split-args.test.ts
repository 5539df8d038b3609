import { describe, expect, it } from "vitest";
import { splitArgs } from "../../web/split-args.ts";

describe("splitArgs", () => {
  it.each([
    ["", []],
    ["a b  c", ["a", "b", "c"]],
    [`one "two words" 'three'`, ["one", "two words", "three"]],
    [`"" x`, ["", "x"]],
    [`a\\ b "q\\"x"`, ["a b", 'q"x']],
    [`--name='Ada Lovelace'`, ["--name=Ada Lovelace"]],
  ])("splits %j", (line, expected) => expect(splitArgs(line)).toEqual(expected));

  it("reports an unterminated quote", () => {
    expect(() => splitArgs(`a "b`)).toThrow(/unterminated " quote/);
  });
});
