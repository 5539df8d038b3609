import type { ErrorMark } from "./components/CodeEditor.tsx";

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
  return last === undefined ? [] : [{ line: last, message }];
}
