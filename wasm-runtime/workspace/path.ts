import { WorkspaceError } from "./errors.ts";

/** Where the workspace appears inside the guest. */
export const WORKSPACE_ROOT = "/workspace";
/** Longest name of one path component, in UTF-8 bytes (as on Linux and in the gated VFS). */
export const NAME_MAX = 255;
/** Longest absolute guest path (`/workspace/…`), in UTF-8 bytes. */
export const PATH_MAX = 4096;

const encoder = new TextEncoder();

/**
 * The canonical form of a workspace path: relative to /workspace, `/`-separated,
 * no `.`, `..`, empty or trailing components ("src/main.py"); "" is the
 * workspace itself. Accepts relative paths and absolute ones under /workspace;
 * `..` may move within the workspace but never above it.
 * Throws a WorkspaceError saying exactly what is wrong.
 */
export function normalizePath(input: string, options: { allowRoot?: boolean } = {}): string {
  if (input.includes("\0")) throw new WorkspaceError("path-nul", `path contains a NUL byte: ${JSON.stringify(input)}`, input);
  let rest = input;
  if (input.startsWith("/")) {
    if (input !== WORKSPACE_ROOT && !input.startsWith(`${WORKSPACE_ROOT}/`)) {
      throw new WorkspaceError("path-outside", `absolute path outside ${WORKSPACE_ROOT}: ${input}`, input);
    }
    rest = input.slice(WORKSPACE_ROOT.length);
  }
  const parts: string[] = [];
  for (const name of rest.split("/")) {
    if (name === "" || name === ".") continue;
    if (name === "..") {
      if (parts.pop() === undefined) throw new WorkspaceError("path-escapes", `path climbs out of the workspace with "..": ${input}`, input);
      continue;
    }
    if (encoder.encode(name).length > NAME_MAX) {
      throw new WorkspaceError("name-too-long", `name longer than ${NAME_MAX} bytes: ${name.slice(0, 40)}…`, input);
    }
    parts.push(name);
  }
  const path = parts.join("/");
  if (path === "" && !options.allowRoot) throw new WorkspaceError("path-empty", `path names no file: ${JSON.stringify(input)}`, input);
  if (encoder.encode(`${WORKSPACE_ROOT}/${path}`).length > PATH_MAX) {
    throw new WorkspaceError("path-too-long", `path longer than ${PATH_MAX} bytes: ${path.slice(0, 40)}…`, input);
  }
  return path;
}

/** The folder holding `path` ("" for a top-level entry). */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/** Whether `path` is `folder` itself or inside it ("" holds everything). */
export function isWithin(path: string, folder: string): boolean {
  return folder === "" || path === folder || path.startsWith(`${folder}/`);
}
