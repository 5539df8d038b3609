import type { CommandNode, SimpleCommandNode, WordNode } from "just-bash";

/** just-bash's AST types that its package entry does not name, derived from the ones it does. */
export type { CommandNode, PipelineNode, ScriptNode, SimpleCommandNode, StatementNode, WordNode } from "just-bash";
export type WordPart = WordNode["parts"][number];
export type RedirectionNode = SimpleCommandNode["redirections"][number];
export type CompoundCommandNode = Exclude<CommandNode, SimpleCommandNode | { type: "FunctionDef" }>;
export type ArithExpr = Extract<WordPart, { type: "ArithmeticExpansion" }>["expression"]["expression"];
