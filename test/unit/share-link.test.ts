import { describe, expect, it } from "vitest";
import { decodeSession, encodeSession } from "../../web/share-link.ts";

describe("share links", () => {
  it("round-trips a session, unicode and all", () => {
    const session = { language: "python" as const, code: "print('héllo ✓')\n# 🎉", args: "a 'b c'", stdin: "line\n" };
    const hash = encodeSession(session);
    expect(hash).toMatch(/^#s=[A-Za-z0-9_-]+$/);
    expect(decodeSession(hash)).toEqual(session);
  });

  it.each(["", "#", "#s=", "#s=!!!", "#s=e30", `#s=${btoa('{"language":"cobol","code":"","args":"","stdin":""}')}`])(
    "ignores a missing or damaged hash %j",
    (hash) => expect(decodeSession(hash)).toBeNull(),
  );
});
