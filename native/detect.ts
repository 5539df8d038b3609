/**
 * Small facts about the host that backends' detect() is made of: is a program
 * installed, what version does it print, are we root.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { runQuiet } from "./process.ts";
import type { Detection } from "./types.ts";

/** Absolute path of `program` on PATH (plus the sbin folders a root shell has), or undefined. */
export function findProgram(program: string): string | undefined {
  if (program.includes("/")) return isExecutable(program) ? program : undefined;
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/local/sbin", "/usr/sbin", "/sbin"];
  for (const dir of dirs) {
    if (!dir) continue;
    const path = join(dir, program);
    if (isExecutable(path)) return path;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `program ...versionArgs` and extracts a version with `pattern` (first
 * capture group) from its output. A missing program or an unexpected answer
 * is an unavailable backend with a reason, never an exception.
 */
export async function detectVersion(
  program: string,
  versionArgs: string[],
  pattern: RegExp,
  installHint: string,
): Promise<Detection> {
  const path = findProgram(program);
  if (!path) return { available: false, reason: `${program} is not installed (${installHint})` };
  const result = await runQuiet([path, ...versionArgs], 10_000);
  const match = pattern.exec(`${result.stdout}\n${result.stderr}`);
  if (!match?.[1]) {
    const said = `${result.stdout}${result.stderr}`.trim().split("\n")[0] ?? "";
    return { available: false, reason: `${program} ${versionArgs.join(" ")} gave no version: ${said || `exit ${result.exitCode}`}` };
  }
  return { available: true, version: match[1] };
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}
