/**
 * Waiting for a Docker or Podman container to be really gone. `docker run
 * --rm` removes its container itself when it exits, so when the runner kills
 * the client, the daemon's own removal and our `rm --force` race: `rm` may
 * return ("removal already in progress") while the container is still listed.
 */
import { runQuiet } from "../process.ts";

/** Container ids matching a name, listed by `client ps --all --quiet --filter name=...`. */
export async function listContainers(client: string[], nameFilter: string): Promise<string[]> {
  const listed = await runQuiet([...client, "ps", "--all", "--quiet", "--filter", `name=${nameFilter}`]);
  return listed.stdout.split("\n").map((line) => line.trim()).filter(Boolean);
}

/** Polls until no container of that exact name is listed, repeating `rm --force` now and then. */
export async function waitUntilRemoved(client: string[], name: string, removeArgs: string[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    if ((await listContainers(client, `^/?${name}$`)).length === 0) return;
    if (attempt % 10 === 9) await runQuiet([...client, ...removeArgs, name]);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
