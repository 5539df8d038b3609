import { fieldsOf, stringField, type BuiltinContext } from "./tool.ts";

/** Keys and JSON values together, in UTF-16 units; a set beyond fails with an error reply. */
export const MAX_KV_SIZE = 16 * 1024 * 1024;
const MAX_KEY_LENGTH = 1024;

/**
 * A sandbox's key–value store: it lives as long as the sandbox, across runs.
 * Values are JSON, kept as text so that what the guest reads back is a copy.
 */
export class KvStore {
  readonly #values = new Map<string, string>();
  #size = 0;

  get(key: string): { found: true; value: unknown } | { found: false } {
    const text = this.#values.get(key);
    return text === undefined ? { found: false } : { found: true, value: JSON.parse(text) };
  }

  set(key: string, value: unknown): void {
    const text = JSON.stringify(value);
    const size = this.#size - this.#sizeOf(key) + key.length + text.length;
    if (size > MAX_KV_SIZE) throw new Error(`the store is full (${MAX_KV_SIZE / 1024 / 1024} MiB of keys and values)`);
    this.#values.set(key, text);
    this.#size = size;
  }

  delete(key: string): boolean {
    this.#size -= this.#sizeOf(key);
    return this.#values.delete(key);
  }

  keys(): string[] {
    return [...this.#values.keys()].sort();
  }

  #sizeOf(key: string): number {
    const text = this.#values.get(key);
    return text === undefined ? 0 : key.length + text.length;
  }
}

/**
 * The `kv` tool. Requests and replies:
 * `{op:"get", key}` → `{found:true, value}` or `{found:false}`;
 * `{op:"set", key, value}` → `{ok:true}`; `{op:"delete", key}` → `{deleted}`;
 * `{op:"list"}` → `{keys}` (sorted).
 */
export async function kv(request: unknown, { kv: store }: BuiltinContext): Promise<unknown> {
  const fields = fieldsOf(request);
  const op = fields.op;
  if (op === "list") return { keys: store.keys() };
  const key = stringField(fields, "key", true);
  if (key.length > MAX_KEY_LENGTH) throw new Error(`"key" must be at most ${MAX_KEY_LENGTH} characters`);
  switch (op) {
    case "get":
      return store.get(key);
    case "set":
      if (!("value" in fields)) throw new Error('"set" needs a "value" (any JSON)');
      store.set(key, fields.value);
      return { ok: true };
    case "delete":
      return { deleted: store.delete(key) };
    default:
      throw new Error('"op" must be one of "get", "set", "delete", "list"');
  }
}
