/**
 * Writes "newc" cpio archives, the format of a Linux initramfs, so the VM's
 * initramfs is built here without depending on a cpio tool being installed.
 */

export interface CpioEntry {
  path: string;
  /** "dir", "file" (with data), or "symlink" (with target). */
  type: "dir" | "file" | "symlink";
  mode: number;
  data?: Buffer;
  target?: string;
}

const TYPE_BITS = { dir: 0o040000, file: 0o100000, symlink: 0o120000 } as const;

function hex8(value: number): string {
  return value.toString(16).padStart(8, "0");
}

function pad4(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

function record(ino: number, path: string, mode: number, body: Buffer): Buffer[] {
  const name = Buffer.from(`${path}\0`);
  const fields = [
    ino, mode, 0, 0, 1, 0, body.length, 0, 0, 0, 0, name.length, 0,
  ];
  const header = Buffer.from(`070701${fields.map(hex8).join("")}`, "ascii");
  return [header, name, pad4(header.length + name.length), body, pad4(body.length)];
}

/** The whole archive, including the trailer; uncompressed (the kernel takes it as is or gzipped). */
export function cpioArchive(entries: CpioEntry[], firstInode = 1): Buffer {
  const parts: Buffer[] = [];
  entries.forEach((entry, index) => {
    const body = entry.type === "file" ? (entry.data ?? Buffer.alloc(0)) : entry.type === "symlink" ? Buffer.from(entry.target ?? "") : Buffer.alloc(0);
    parts.push(...record(firstInode + index, entry.path.replace(/^\/+/, ""), TYPE_BITS[entry.type] | entry.mode, body));
  });
  parts.push(...record(0, "TRAILER!!!", 0, Buffer.alloc(0)));
  return Buffer.concat(parts);
}
