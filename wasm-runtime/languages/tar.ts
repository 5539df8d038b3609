/** One regular file or folder of a tar archive. */
export interface TarEntry {
  path: string;
  kind: "file" | "dir";
  data: Uint8Array;
}

const BLOCK = 512;

/**
 * Reads a POSIX ustar archive (what clang's resources ship as): regular files and
 * folders, names up to prefix + name. Other entry types are skipped; a header
 * whose checksum does not match is an error rather than garbage files.
 */
export function readTar(bytes: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  const text = new TextDecoder();
  const field = (at: number, length: number) => text.decode(bytes.subarray(at, at + length)).replace(/\0.*$/s, "");
  const octal = (at: number, length: number) => parseInt(field(at, length).trim() || "0", 8);
  for (let at = 0; at + BLOCK <= bytes.length; ) {
    if (bytes.subarray(at, at + BLOCK).every((b) => b === 0)) break; // end of archive
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : bytes[at + i]!;
    if (sum !== octal(at + 148, 8)) throw new Error(`not a tar archive: bad header checksum at offset ${at}`);
    const prefix = field(at + 345, 155);
    const name = (prefix ? `${prefix}/` : "") + field(at, 100);
    const size = octal(at + 124, 12);
    const type = String.fromCharCode(bytes[at + 156]!);
    const dataStart = at + BLOCK;
    if (dataStart + size > bytes.length) throw new Error(`truncated tar archive: ${name} needs ${size} bytes`);
    const path = name.replace(/\/+$/, "");
    if (type === "5") entries.push({ path, kind: "dir", data: new Uint8Array(0) });
    else if (type === "0" || type === "\0") entries.push({ path, kind: "file", data: bytes.subarray(dataStart, dataStart + size) });
    at = dataStart + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}
