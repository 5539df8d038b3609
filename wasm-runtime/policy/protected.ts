/**
 * Paths a writable mount's grant does not cover (issue 13): files that the
 * host runs or trusts when they are written back — version control's config
 * and hooks (`core.fsmonitor` runs a command on the next `git status`), shell
 * start-up files, SSH keys and config, dotenv files (direnv runs `.envrc`),
 * package-manager credentials, certificates and keys. The guest may read them;
 * it writes one only when a rule grants it by name (`--allow-write=/repo/.git/**`;
 * a broad `/workspace/**` or the mount's own grant does not). This is the one
 * list; decide.ts applies it below every mount grant marked `protect`, and the
 * CLI's write-back asks decide.ts again before writing.
 */
import { compileNameGlob } from "./glob.ts";
import type { FileRule } from "./schema.ts";

/** Folders protected with all they hold, at any depth below a mount (a nested repository's `.git` too). */
const PROTECTED_FOLDERS: readonly string[] = [".git", ".ssh"];
/** Files protected at any depth below a mount (name globs). */
const PROTECTED_FILES: readonly string[] = [".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile", ".zshrc", ".zshenv", ".zprofile", ".zlogin", ".env*", ".npmrc", "*.pem"];

/** The protected names, for messages and the docs. */
export const PROTECTED_IN_MOUNTS: readonly string[] = [...PROTECTED_FOLDERS.map((name) => `${name}/`), ...PROTECTED_FILES];

/** Names the rule that refused a protected path; denial.ts offers a grant by name for it. */
export const PROTECTED_RULE = "protected in a writable mount";

/** A mount's grant; `protect`: its protected paths are written only through a rule that names them. */
export interface MountGrant extends FileRule {
  readonly protect?: true;
}

export function isMountGrant(rule: FileRule): rule is MountGrant & { protect: true } {
  return (rule as MountGrant).protect === true;
}

const isProtectedFolder = PROTECTED_FOLDERS.map(compileNameGlob);
const isProtectedFile = PROTECTED_FILES.map(compileNameGlob);

/** A mount grant compiled: which paths below the mount are protected, and the verdict refusing them. */
export interface MountGuard {
  /** The path up to and with its protected part (`/repo/.git` for `/repo/.git/config`), or undefined when it is not protected. */
  protectedPart(path: string): string | undefined;
  readonly rule: string;
}

export function compileGuard(rule: FileRule): MountGuard {
  // The mount folder of a grant `MOUNT/**` ("" for a mount at /).
  const mount = rule.path.replace(/\/\*\*$/, "");
  return {
    rule: `${PROTECTED_RULE} ${mount || "/"} (${PROTECTED_IN_MOUNTS.join(" ")})`,
    protectedPart(path) {
      if (!path.startsWith(`${mount}/`)) return undefined;
      const parts = path.slice(mount.length + 1).split("/");
      for (const [i, name] of parts.entries()) {
        const isFile = i === parts.length - 1 && isProtectedFile.some((matches) => matches(name));
        if (isFile || isProtectedFolder.some((matches) => matches(name))) return `${mount}/${parts.slice(0, i + 1).join("/")}`;
      }
      return undefined;
    },
  };
}

/**
 * Whether a rule names the protected part of a path: its pattern spells that
 * part out before any wildcard (`/repo/.git/**` names `/repo/.git`; `/repo/**`
 * and `/**` do not).
 */
export function namesProtectedPart(rulePath: string, part: string): boolean {
  const wildcard = rulePath.search(/[*?]/);
  const literal = wildcard < 0 ? rulePath : rulePath.slice(0, wildcard);
  return literal.startsWith(part) && (literal.length === part.length || literal[part.length] === "/");
}
