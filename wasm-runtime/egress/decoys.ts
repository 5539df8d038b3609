import type { Decoys } from "../policy/index.ts";
import type { Watched } from "./filter.ts";

/** A run's decoys with their values chosen: what is planted, and what the filter watches for. */
export interface PlantedDecoys {
  /** Absolute path → content. */
  files: ReadonlyMap<string, string>;
  env: Readonly<Record<string, string>>;
  secrets: Readonly<Record<string, string>>;
  watched: Watched[];
}

export const NO_DECOYS: PlantedDecoys = { files: new Map(), env: {}, secrets: {}, watched: [] };

/**
 * Chooses the values of a policy's decoys: the given ones, or fresh random
 * ones shaped like AWS credentials, so a guest cannot tell them from real ones
 * and a value seen leaving belongs to this run only.
 */
export function plantDecoys(decoys: Decoys): PlantedDecoys {
  if (decoys.files.length + decoys.env.length + decoys.secrets.length === 0) return NO_DECOYS;
  const watched: Watched[] = [];
  const valued = (list: readonly { name: string; value?: string | undefined }[]) =>
    Object.fromEntries(
      list.map(({ name, value }) => {
        const chosen = value ?? randomKey(40);
        watched.push({ name, value: chosen, decoy: true });
        return [name, chosen];
      }),
    );
  const env = valued(decoys.env);
  const secrets = valued(decoys.secrets);
  const files = new Map(
    decoys.files.map(({ path, content }) => {
      if (content !== undefined) {
        // A long custom content is recognised by its start.
        watched.push({ name: path, value: content.slice(0, 256), decoy: true });
        return [path, content];
      }
      const id = `AKIA${randomKey(16).toUpperCase().replace(/[^A-Z0-9]/g, "7")}`;
      const key = randomKey(40);
      watched.push({ name: path, value: id, decoy: true }, { name: path, value: key, decoy: true });
      return [path, `[default]\naws_access_key_id = ${id}\naws_secret_access_key = ${key}\n`];
    }),
  );
  return { files, env, secrets, watched };
}

const KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomKey(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => KEY_CHARS[b % KEY_CHARS.length]).join("");
}
