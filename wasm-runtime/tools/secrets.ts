import { fieldsOf, stringField, type BuiltinContext } from "./tool.ts";

/**
 * The `secrets` tool: `{name}` → `{value}`. The policy's secrets rules decide
 * (and the decision is audited) before anything is looked up, so a guest
 * without the grant cannot even learn whether a secret exists.
 */
export async function secrets(request: unknown, context: BuiltinContext): Promise<unknown> {
  const name = stringField(fieldsOf(request), "name", true);
  const { allowed, explanation } = await context.permits({ capability: "secret", name });
  if (!allowed) throw new Error(explanation);
  if (!Object.hasOwn(context.secrets, name)) throw new Error(`there is no secret named "${name}"`);
  return { value: context.secrets[name] };
}
