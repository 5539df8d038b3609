import type { FsErrorCode } from "./errors.ts";
import type { DirNode, Node } from "./nodes.ts";

/** Longest name of one path component, in UTF-8 bytes (as on Linux). */
export const NAME_MAX = 255;
/** Longest path, in UTF-8 bytes (as on Linux). */
export const PATH_MAX = 4096;
/** Symlinks followed in one resolution before giving up with ELOOP (as on Linux). */
export const SYMLOOP_MAX = 40;

/** Where a path leads: the node there (if any) and the directory and name that hold it. */
export interface Location {
  /** Absolute and normalised, every symlink resolved except a final one that was not followed. */
  readonly path: string;
  readonly node: Node | undefined;
  /** The directory holding `name`; undefined for the root and when `error` is set. */
  readonly parent: DirNode | undefined;
  /** The entry's name; `.` or `..` when the path ended so (such a name can be looked up, not removed or renamed). */
  readonly name: string;
  /** Why the path cannot be walked; `path` then names where it would have led. */
  readonly error: FsErrorCode | undefined;
  /** The path ended in `/`, `/.` or `/..`, so it must name a directory. */
  readonly dirOnly: boolean;
}

/**
 * Walks `path` from `start` (or from `root` when absolute). `..` never climbs
 * above the root; symlinks are followed, the last one only when `follow`.
 * Never throws: a failure is reported in `error`, with `path` telling where the
 * walk would have gone, so a caller can check permission before revealing what exists.
 */
export function locate(root: DirNode, start: DirNode, path: string, follow: boolean): Location {
  const absolute = path.startsWith("/");
  const parts = absolute ? [] : partsOf(root, start);
  if (path.length === 0 || parts === undefined) return failure("ENOENT", parts ?? [], []);
  const pending = components(path);
  if (utf8Length(path, PATH_MAX) > PATH_MAX) return failure("ENAMETOOLONG", parts, pending);
  const tail = path.slice(path.lastIndexOf("/") + 1);
  const dirOnly = tail === "" || tail === "." || tail === "..";
  // A final `.` still requires what precedes it to be an existing directory.
  if (tail === "." && pending.length > 0) pending.unshift(".");
  let dir = absolute ? root : start;
  let links = 0;
  for (;;) {
    const name = pending.pop();
    if (name === undefined) return at(dir, parts, dirOnly, tail === "." || tail === ".." ? tail : dir.name);
    if (name === ".") continue;
    if (name === "..") {
      if (dir.parent) {
        dir = dir.parent;
        parts.pop();
      }
      continue;
    }
    if (utf8Length(name, NAME_MAX) > NAME_MAX) return failure("ENAMETOOLONG", parts, [...pending, name]);
    const node = dir.entries.get(name);
    const last = pending.length === 0;
    if (node === undefined) {
      if (!last) return failure("ENOENT", parts, [...pending, name]);
      return { path: joined(parts, name), node, parent: dir, name, error: undefined, dirOnly };
    }
    if (node.kind === "symlink" && (!last || follow || dirOnly)) {
      if (++links > SYMLOOP_MAX) return failure("ELOOP", parts, [...pending, name]);
      if (node.target.length === 0) return failure("ENOENT", parts, pending);
      if (node.target.startsWith("/")) {
        dir = root;
        parts.length = 0;
      }
      pending.push(...components(node.target));
      continue;
    }
    if (last) {
      if (dirOnly && node.kind !== "dir") return failure("ENOTDIR", parts, [name]);
      return { path: joined(parts, name), node, parent: dir, name, error: undefined, dirOnly };
    }
    if (node.kind !== "dir") return failure("ENOTDIR", parts, [...pending, name]);
    dir = node;
    parts.push(name);
  }
}

/** The absolute path of a node, or undefined once it (or a directory above it) has been unlinked. */
export function pathOf(root: DirNode, node: Node): string | undefined {
  if (node === root) return "/";
  if (node.parent === undefined) return undefined;
  const parts = partsOf(root, node.parent);
  return parts && joined(parts, node.name);
}

/** Every path below `node`, relative to it (`/sub`, `/sub/a.txt`), symlinks not followed; empty for a file or symlink. */
export function pathsBelow(node: Node | undefined): string[] {
  const paths: string[] = [];
  const walk = (dir: DirNode, prefix: string) => {
    for (const [name, child] of dir.entries) {
      paths.push(`${prefix}/${name}`);
      if (child.kind === "dir") walk(child, `${prefix}/${name}`);
    }
  };
  if (node?.kind === "dir") walk(node, "");
  return paths;
}

function at(dir: DirNode, parts: string[], dirOnly: boolean, name: string): Location {
  return { path: `/${parts.join("/")}`, node: dir, parent: dir.parent, name, error: undefined, dirOnly };
}

/** `rest` is a stack (next component last), as in `locate`. */
function failure(error: FsErrorCode, parts: readonly string[], rest: readonly string[]): Location {
  const lexical = [...parts];
  for (let i = rest.length - 1; i >= 0; i--) {
    if (rest[i] === "..") lexical.pop();
    else if (rest[i] !== ".") lexical.push(rest[i]!);
  }
  return { path: `/${lexical.join("/")}`, node: undefined, parent: undefined, name: "", error, dirOnly: false };
}

function joined(parts: readonly string[], name: string): string {
  return parts.length === 0 ? `/${name}` : `/${parts.join("/")}/${name}`;
}

/** The names from the root down to `dir`, or undefined when `dir` is no longer attached. */
function partsOf(root: DirNode, dir: DirNode): string[] | undefined {
  const parts: string[] = [];
  let d = dir;
  while (d !== root) {
    if (d.parent === undefined) return undefined;
    parts.push(d.name);
    d = d.parent;
  }
  return parts.reverse();
}

/** Path components as a stack, next component last, without empty and `.` components. */
function components(path: string): string[] {
  const stack: string[] = [];
  const names = path.split("/");
  for (let i = names.length - 1; i >= 0; i--) {
    const name = names[i]!;
    if (name !== "" && name !== ".") stack.push(name);
  }
  return stack;
}

/** UTF-8 length of `s`; skips the count when it cannot exceed `limit` (3 bytes per UTF-16 unit at most). */
function utf8Length(s: string, limit: number): number {
  if (s.length * 3 <= limit) return s.length;
  let bytes = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Each half of a surrogate pair is 2 of the pair's 4 bytes; other units above 0x7ff take 3.
    if (c >= 0x80) bytes += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}
