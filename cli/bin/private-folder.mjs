// The daemon's socket folder, checked before anything in it is used: whoever
// can write to the folder can swap the socket and hear (and answer) every run
// (issue 13), so it must be a real folder of this user that nobody else may
// enter. Plain JavaScript: the client loads it before anything heavy.
import { lstatSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";

/**
 * Why another user could swap the folder for one of their own by renaming it
 * away: an ancestor they own, or one anybody may write to without the sticky
 * bit (which, as on /tmp, lets only an entry's owner rename it). Undefined
 * when no ancestor allows it.
 */
function replaceableBy(dir, uid) {
  for (let at = dir; ; at = path.dirname(at)) {
    const { uid: owner, mode } = statSync(at);
    if (owner !== uid && owner !== 0) return `its parent ${at} is owned by uid ${owner}, who could replace it`;
    if ((mode & 0o022) !== 0 && (mode & 0o1000) === 0) return `its parent ${at} has mode ${(mode & 0o777).toString(8)}: others could replace it (no sticky bit)`;
    if (at === path.dirname(at)) return undefined;
  }
}

/** Why a daemon folder is refused: the message names the folder and what is wrong. */
export class DaemonFolderError extends Error {}

/**
 * Creates `dir` (mode 0700) unless it exists, then checks it: a real folder
 * (not a symlink), owned by this user, with no access for group or others.
 * Never changes a folder it did not create: one planted by someone else is
 * refused, not repaired.
 */
export function privateFolder(dir) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // No user ids to compare (Windows): nothing to check against.
  if (process.getuid === undefined) return dir;
  const stats = lstatSync(dir);
  const uid = process.getuid();
  const problems = [];
  if (stats.isSymbolicLink()) problems.push("it is a symlink");
  else if (!stats.isDirectory()) problems.push("it is not a folder");
  if (stats.uid !== uid) problems.push(`it is owned by uid ${stats.uid}, not by you (uid ${uid})`);
  const mode = stats.mode & 0o777;
  if ((mode & 0o077) !== 0) problems.push(`its mode is ${mode.toString(8).padStart(3, "0")}, which lets other users in (it must be 700)`);
  const parent = replaceableBy(path.dirname(path.resolve(dir)), uid);
  if (parent) problems.push(parent);
  if (problems.length > 0) {
    throw new DaemonFolderError(
      `refusing the daemon folder ${dir}: ${problems.join("; ")}. Another user could replace the daemon's socket there and see or forge your runs. ` +
        `Remove it (or fix it, if it is yours), or set PLAYPEN_DAEMON_DIR to a folder of your own.`,
    );
  }
  return dir;
}
