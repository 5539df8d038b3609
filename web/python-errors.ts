import type { ErrorMark } from "./components/CodeEditor.tsx";
import { errnoLabel } from "./trace/errno-names.ts";

/**
 * Python in WASI numbers errors as WASI does (`[Errno 2] Permission denied` is
 * EACCES, which Linux numbers 13): the mark names the errno, so no one reads
 * the number under Linux's table (where 2 is "No such file or directory").
 */
function withErrnoName(message: string): string {
  const found = /\[Errno (\d+)\]/.exec(message);
  if (!found) return message;
  const name = errnoLabel(Number(found[1]));
  return name.startsWith("E") ? `${message} — WASI errno ${found[1]} is ${name}; Linux numbers differ` : message;
}

/**
 * Finds the lines of the user's script that a Python traceback or SyntaxError
 * points at, so the editor can mark them. The innermost frame comes last in a
 * traceback and carries the exception message.
 */
export function pythonErrorMarks(stderr: string, scriptPath: string): ErrorMark[] {
  const lines = stderr.trimEnd().split("\n");
  const message = lines.at(-1)?.trim() ?? "";
  const frame = new RegExp(`^\\s*File "${scriptPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}", line (\\d+)`);
  const hits = lines.flatMap((line) => {
    const m = frame.exec(line);
    return m ? [Number(m[1])] : [];
  });
  const last = hits.at(-1);
  return last === undefined ? [] : [{ line: last, message: withErrnoName(message) }];
}
