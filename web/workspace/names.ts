import { NAME_MAX } from "../../wasm-runtime/workspace/index.ts";

/** A name typed in the file tree, checked before it reaches the workspace. */
export type NameCheck = { ok: true; name: string } | { ok: false; message: string };

/**
 * One path component for a new or renamed file or folder. A `/` is refused
 * rather than read as a path, so "New file" never creates folders by surprise
 * and a typed `../x` cannot climb; unicode and spaces inside a name are fine.
 */
export function checkEntryName(input: string): NameCheck {
  const name = input.trim();
  if (name === "") return { ok: false, message: "a name is needed" };
  if (name.includes("/") || name.includes("\\")) return { ok: false, message: `a name may not contain "/" or "\\": ${name}` };
  if (name === "." || name === "..") return { ok: false, message: `"${name}" is not a name for a file or folder` };
  if (name.includes("\0")) return { ok: false, message: "a name may not contain a NUL character" };
  const bytes = new TextEncoder().encode(name).length;
  if (bytes > NAME_MAX) return { ok: false, message: `a name may be at most ${NAME_MAX} bytes (UTF-8); this one has ${bytes}` };
  return { ok: true, name };
}

/** `name` inside `folder` ("" is the workspace itself). */
export function childPath(folder: string, name: string): string {
  return folder === "" ? name : `${folder}/${name}`;
}
