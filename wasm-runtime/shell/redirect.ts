import type { RedirectionNode } from "./ast.ts";
import { ShellError } from "./errors.ts";
import { expandToString, expandWord, type ExpandContext } from "./expand.ts";
import type { ShellFiles } from "./files.ts";
import { BufferSink, type Io, type Sink } from "./io.ts";
import { resolvePath } from "./paths.ts";

/** A file a redirection writes: filled while the command runs, written when it ends. */
export class FileSink extends BufferSink {
  /** The resolved path the write was decided on. */
  readonly path: string;
  readonly append: boolean;

  constructor(path: string, append: boolean, cap: number) {
    super(cap);
    this.path = path;
    this.append = append;
  }

  close(files: ShellFiles): Promise<void> {
    return files.commit(this.path, this.text, this.append);
  }
}

const DISCARD: Sink = { write: () => {} };

/** Device files a script names in redirections; they are the shell's streams, not files in the sandbox. */
const DEVICES: Record<string, "null" | 1 | 2> = { "/dev/null": "null", "/dev/stdout": 1, "/dev/stderr": 2 };

/**
 * Applies a command's redirections left to right, as a shell does: `2>&1`
 * after `> f` sends both to f, before it only stderr to the old stdout.
 * Returns the streams the command gets and the files to write once it ends.
 */
export async function applyRedirections(
  redirections: readonly RedirectionNode[],
  io: Io,
  ctx: ExpandContext,
  cap: number,
): Promise<{ io: Io; files: FileSink[] }> {
  const fds: (Sink | undefined)[] = [undefined, io.stdout, io.stderr];
  let stdin = io.stdin;
  const opened: FileSink[] = [];
  const path = async (r: RedirectionNode) => {
    if (r.target.type !== "Word") throw new ShellError("a here-document is not a file", 2);
    const words = await expandWord(r.target, ctx);
    if (words.length !== 1) throw new ShellError(`${await expandToString(r.target, ctx)}: ambiguous redirect`);
    return resolvePath(ctx.state.cwd, words[0]!);
  };
  const open = async (r: RedirectionNode, append: boolean): Promise<Sink> => {
    const target = await path(r);
    const device = DEVICES[target];
    if (device) return device === "null" ? DISCARD : fds[device]!;
    const file = new FileSink(await ctx.files.checkWrite(target, append ? "shell >>" : "shell >"), append, cap);
    opened.push(file);
    return file;
  };
  for (const r of redirections) {
    const fd = r.fd ?? (r.operator.startsWith("<") ? 0 : 1);
    if (fd > 2) throw new ShellError(`${fd}: only file descriptors 0, 1 and 2 can be redirected`, 2);
    switch (r.operator) {
      case ">":
      case ">|":
      case ">>":
        fds[fd] = await open(r, r.operator === ">>");
        break;
      case "&>":
      case "&>>":
        fds[1] = fds[2] = await open(r, r.operator === "&>>");
        break;
      case ">&": {
        const target = r.target.type === "Word" ? await expandToString(r.target, ctx) : "";
        if (target === "-") fds[fd] = DISCARD;
        else if (target === "1" || target === "2") fds[fd] = fds[Number(target)];
        else if (r.fd === null) fds[1] = fds[2] = await open(r, false);
        else throw new ShellError(`${target}: bad file descriptor`);
        break;
      }
      case "<": {
        const source = await path(r);
        stdin = source === "/dev/null" ? "" : await ctx.files.read(source, "shell <");
        break;
      }
      case "<<<":
        stdin = `${r.target.type === "Word" ? await expandToString(r.target, ctx) : ""}\n`;
        break;
      case "<<":
      case "<<-":
        if (r.target.type !== "HereDoc") throw new ShellError("here-document without a body", 2);
        stdin = await expandToString(r.target.content, ctx);
        break;
      default:
        throw new ShellError(`the redirection ${r.operator} is not supported by this shell`, 2);
    }
  }
  return { io: { stdin, stdout: fds[1]!, stderr: fds[2]! }, files: opened };
}
