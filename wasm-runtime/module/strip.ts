import { assembleModule, payloadOf, readSections, SectionId } from "./binary.ts";

/** Custom sections that only debuggers and toolchains read; engines ignore them. */
export function isToolingSection(name: string): boolean {
  return (
    name.startsWith(".debug_") ||
    name === "producers" ||
    name === "target_features" ||
    name === "external_debug_info" ||
    // A source map would no longer match once the code is rewritten.
    name === "sourceMappingURL"
  );
}

/**
 * Drops the custom sections `keep` rejects. The default keeps everything but debug and
 * tooling sections, so `name` survives and stack traces still show function names.
 * Returns `bytes` itself when nothing is dropped.
 */
export function stripCustomSections<B extends ArrayBufferLike>(
  bytes: Uint8Array<B>,
  keep: (name: string) => boolean = (name) => !isToolingSection(name),
): Uint8Array<B> | Uint8Array<ArrayBuffer> {
  const sections = readSections(bytes);
  const kept = sections.filter((s) => s.id !== SectionId.custom || keep(s.name!));
  if (kept.length === sections.length) return bytes;
  return assembleModule(kept.map((s) => payloadOf(bytes, s)));
}
