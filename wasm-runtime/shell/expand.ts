import type { ArithExpr, ScriptNode, WordNode, WordPart } from "./ast.ts";
import { ShellError } from "./errors.ts";
import type { ShellFiles } from "./files.ts";
import { escapeGlob, expandGlob, hasGlob, unescapeGlob } from "./glob.ts";
import type { ShellState } from "./state.ts";

/** What expansion needs beyond the word: the state, the files (for globs), and `$( … )`. */
export interface ExpandContext {
  state: ShellState;
  files: ShellFiles;
  /** Runs a command substitution's script in a subshell and returns its stdout. */
  substitute(script: ScriptNode): Promise<string>;
}

/**
 * A field being built: its text, and the same text as a glob pattern where
 * quoted characters are escaped. `quoted` records that quotes were present, so
 * `""` is an (empty) argument while an unquoted empty expansion is none.
 */
interface Field {
  text: string;
  pattern: string;
  quoted: boolean;
}

/** A word's fields after parameter expansion, command substitution, field splitting and globbing. */
export async function expandWord(word: WordNode, ctx: ExpandContext): Promise<string[]> {
  const fields: Field[] = [{ text: "", pattern: "", quoted: false }];
  await appendParts(word.parts, fields, false, ctx);
  const out: string[] = [];
  for (const field of fields) {
    if (field.text === "" && !field.quoted) continue;
    if (hasGlob(field.pattern)) {
      const matches = await expandGlob(field.pattern, ctx.state.cwd, ctx.files);
      out.push(...(matches.length > 0 ? matches : [unescapeGlob(field.pattern)]));
    } else out.push(field.text);
  }
  return out;
}

/** A word as one string, without splitting or globbing: assignments, redirection targets, here-documents. */
export async function expandToString(word: WordNode, ctx: ExpandContext): Promise<string> {
  const fields: Field[] = [{ text: "", pattern: "", quoted: false }];
  await appendParts(word.parts, fields, true, ctx);
  return fields.map((f) => f.text).join(" ");
}

async function appendParts(parts: readonly WordPart[], fields: Field[], quoted: boolean, ctx: ExpandContext): Promise<void> {
  const last = () => fields[fields.length - 1]!;
  const literal = (text: string, isQuoted: boolean) => {
    const field = last();
    field.text += text;
    field.pattern += isQuoted ? escapeGlob(text) : text;
    field.quoted ||= isQuoted;
  };
  /** Unquoted expansion results split on blanks into several fields. */
  const splitting = (text: string) => {
    if (quoted) return literal(text, true);
    const pieces = text.split(/[ \t\n]+/);
    pieces.forEach((piece, i) => {
      if (i > 0) fields.push({ text: "", pattern: "", quoted: false });
      literal(piece, false);
    });
  };
  for (const part of parts) {
    switch (part.type) {
      case "Literal":
        literal(part.value, quoted);
        break;
      case "SingleQuoted":
      case "Escaped":
        literal(part.value, true);
        break;
      case "DoubleQuoted":
        last().quoted = true;
        await appendParts(part.parts, fields, true, ctx);
        break;
      case "Glob":
        literal(part.pattern, quoted);
        break;
      case "TildeExpansion":
        if (part.user !== null) throw new ShellError(`~${part.user}: other users' homes are not supported`);
        literal(ctx.state.get("HOME") ?? "/workspace", true);
        break;
      case "ParameterExpansion":
        if (quoted && part.parameter === "@" && !part.operation) {
          // "$@": one field per positional parameter.
          ctx.state.positional.forEach((arg, i) => {
            if (i > 0) fields.push({ text: "", pattern: "", quoted: true });
            literal(arg, true);
          });
        } else splitting(await parameter(part, ctx));
        break;
      case "CommandSubstitution":
        splitting((await ctx.substitute(part.body)).replace(/\n+$/, ""));
        break;
      case "ArithmeticExpansion":
        splitting(String(arithmetic(part.expression.expression, ctx.state)));
        break;
      default:
        throw new ShellError(`${part.type} is not supported by this shell`, 2);
    }
  }
}

type ParameterPart = Extract<WordPart, { type: "ParameterExpansion" }>;

async function parameter(part: ParameterPart, ctx: ExpandContext): Promise<string> {
  const name = part.parameter;
  const value = special(name, ctx.state);
  const op = part.operation;
  if (!op) return value ?? "";
  const unset = (checkEmpty: boolean) => value === undefined || (checkEmpty && value === "");
  switch (op.type) {
    case "DefaultValue":
      return unset(op.checkEmpty) ? expandToString(op.word, ctx) : value!;
    case "AssignDefault": {
      if (!unset(op.checkEmpty)) return value!;
      const assigned = await expandToString(op.word, ctx);
      ctx.state.set(name, assigned);
      return assigned;
    }
    case "UseAlternative":
      return unset(op.checkEmpty) ? "" : expandToString(op.word, ctx);
    case "ErrorIfUnset":
      if (!unset(op.checkEmpty)) return value!;
      throw new ShellError(`${name}: ${op.word ? await expandToString(op.word, ctx) : "parameter null or not set"}`);
    case "Length":
      return String([...(value ?? "")].length);
    default:
      throw new ShellError(`\${${name}} with ${op.type} is not supported by this shell`, 2);
  }
}

function special(name: string, state: ShellState): string | undefined {
  switch (name) {
    case "?":
      return String(state.status);
    case "#":
      return String(state.positional.length);
    case "@":
    case "*":
      return state.positional.join(" ");
    case "$":
      return "1";
    case "0":
      return "sh";
    default:
      return /^[1-9]\d*$/.test(name) ? state.positional[Number(name) - 1] : state.get(name);
  }
}

/** `$(( … ))` on integers: numbers, variables, the usual operators. */
function arithmetic(expr: ArithExpr, state: ShellState): number {
  const recur = (e: ArithExpr) => arithmetic(e, state);
  switch (expr.type) {
    case "ArithNumber":
      return expr.value;
    case "ArithVariable":
      return Number.parseInt(special(expr.name, state) ?? "0", 10) || 0;
    case "ArithGroup":
    case "ArithNested":
      return recur(expr.expression);
    case "ArithUnary": {
      const v = recur(expr.operand);
      const table: Record<string, number> = { "-": -v, "+": v, "!": v ? 0 : 1, "~": ~v };
      if (!(expr.operator in table)) break;
      return table[expr.operator]!;
    }
    case "ArithTernary":
      return recur(expr.condition) ? recur(expr.consequent) : recur(expr.alternate);
    case "ArithBinary": {
      const [a, b] = [recur(expr.left), recur(expr.right)];
      if ((expr.operator === "/" || expr.operator === "%") && b === 0) throw new ShellError("division by 0");
      const table: Record<string, () => number> = {
        "+": () => a + b, "-": () => a - b, "*": () => a * b, "/": () => Math.trunc(a / b), "%": () => a % b, "**": () => a ** b,
        "<<": () => a << b, ">>": () => a >> b, "<": () => +(a < b), "<=": () => +(a <= b), ">": () => +(a > b), ">=": () => +(a >= b),
        "==": () => +(a === b), "!=": () => +(a !== b), "&": () => a & b, "|": () => a | b, "^": () => a ^ b,
        "&&": () => +(a !== 0 && b !== 0), "||": () => +(a !== 0 || b !== 0), ",": () => b,
      };
      return table[expr.operator]!();
    }
    default:
      break;
  }
  throw new ShellError(`arithmetic: ${expr.type} is not supported by this shell`, 2);
}
