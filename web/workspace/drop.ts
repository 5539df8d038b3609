/** A file picked or dropped, with its path relative to where it was dropped ("photos/a.jpg"). */
export interface IncomingFile {
  readonly path: string;
  readonly file: File;
}

/**
 * The files of a drop, folders walked recursively. Entries must be taken from
 * the DataTransfer synchronously (it is emptied once the event returns); the
 * walk itself is asynchronous.
 */
export async function droppedFiles(transfer: DataTransfer): Promise<IncomingFile[]> {
  const entries = [...transfer.items].map((item) => item.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return [...transfer.files].map((file) => ({ path: file.name, file }));
  const out: IncomingFile[] = [];
  for (const entry of entries) await walk(entry, "", out);
  return out;
}

/** Files from an `<input type=file>`, with folder paths when it had `webkitdirectory`. */
export function pickedFiles(list: FileList): IncomingFile[] {
  return [...list].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

async function walk(entry: FileSystemEntry, prefix: string, out: IncomingFile[]): Promise<void> {
  const path = prefix + entry.name;
  if (isFile(entry)) {
    out.push({ path, file: await new Promise<File>((resolve, reject) => entry.file(resolve, reject)) });
  } else if (isDirectory(entry)) {
    const reader = entry.createReader();
    // readEntries hands over at most 100 entries per call: read until it returns none.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, `${path}/`, out);
    }
  }
}

function isFile(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}

function isDirectory(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}
