import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPlaypen, type CliOutcome } from "../support/cli.ts";

/**
 * Issue 13, finding 4: a daemon only its owner reaches. The client refuses a
 * socket folder that is not its own with mode 0700, and the daemon refuses a
 * request without its key. The hijack of the issue — another user pre-creates
 * the folder, plants a socket, hears the victim's stdin and forges the
 * output — is replayed as uid 65534 (nobody) when the tests run as root.
 */

const NOBODY = 65534;
const AS_ROOT = process.getuid?.() === 0;
const NOT_ROOT = "needs root to create a folder owned by another user (uid 65534) and to run the attacker as that user";

const work = mkdtempSync(path.join(tmpdir(), "playpen-owner-"));
const program = path.join(work, "hello.py");
writeFileSync(program, "print('hello from the sandbox')\n");

/** `playpen run hello.py` through the daemon whose socket folder is `daemonDir`. */
function playpen(daemonDir: string, stdin = ""): Promise<CliOutcome> {
  return runPlaypen(["run", program], { cwd: work, daemonDir, stdin, timeoutMs: 120_000 });
}

/** Sends one request line and collects the replies until the daemon closes the connection. */
function request(socketPath: string, line: string): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const seen: Record<string, unknown>[] = [];
    let buffered = "";
    socket.on("data", (data) => {
      buffered += data.toString();
      for (let i; (i = buffered.indexOf("\n")) >= 0; buffered = buffered.slice(i + 1)) seen.push(JSON.parse(buffered.slice(0, i)) as Record<string, unknown>);
    });
    socket.on("close", () => resolve(seen));
    socket.on("error", reject);
    socket.write(`${line}\n`);
  });
}

const daemonDir = path.join(work, "daemon");
let socketName = "";

beforeAll(async () => {
  // A real daemon, started the ordinary way: its folder, socket and key are what the tests below check and attack.
  const first = await playpen(daemonDir);
  expect(first).toMatchObject({ code: 0, stdout: "hello from the sandbox\n" });
  socketName = readdirSync(daemonDir).find((name) => name.endsWith(".sock"))!;
}, 180_000);

afterAll(() => {
  // Removing the socket folder tells the test daemon to exit.
  rmSync(work, { recursive: true, force: true });
});

describe("the daemon's folder, socket and key", () => {
  it("are owner-only: folder 0700, socket 0600, key 0600", () => {
    expect(statSync(daemonDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(daemonDir, socketName)).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(daemonDir, socketName.replace(/\.sock$/, ".key"))).mode & 0o777).toBe(0o600);
    // Nothing left over from binding under a temporary name.
    expect(readdirSync(daemonDir).sort()).toEqual([socketName.replace(/\.sock$/, ".key"), socketName]);
  });

  it("refuses a request without the key, or with a wrong one, before anything runs", async () => {
    const socketPath = path.join(daemonDir, socketName);
    const marker = path.join(work, "ran.txt");
    // A run that would leave a trace on the host if it ran: --mount writes back.
    const argv = ["run", "--mount", `${work}:/w`, "--allow-write=/w", "-"];
    const stdin = Buffer.from(`open('/w/ran.txt', 'w').write('ran')\n`).toString("base64");
    for (const key of [undefined, "", "0".repeat(64), readFileSync(path.join(daemonDir, socketName.replace(/\.sock$/, ".key")), "utf8").slice(1)]) {
      const replies = await request(socketPath, JSON.stringify({ ...(key !== undefined && { key }), argv, cwd: work, stdin, terminal: false }));
      expect(replies).toEqual([{ stream: "stderr", text: expect.stringMatching(/refused: the request does not carry this daemon's key/) }, { exit: 126 }]);
    }
    // Not JSON at all: refused the same way, and the daemon lives on.
    expect((await request(socketPath, "not json")).at(-1)).toEqual({ exit: 126 });
    expect(existsSync(marker)).toBe(false);
    expect(await playpen(daemonDir)).toMatchObject({ code: 0, stdout: "hello from the sandbox\n" });
  }, 120_000);
});

describe("a socket folder that is not the user's own", () => {
  it("is refused when group or others may enter it, naming the folder and its mode", async () => {
    const open = path.join(work, "open");
    mkdirSync(open);
    chmodSync(open, 0o755);
    const outcome = await playpen(open, "secret\n");
    expect(outcome.code).toBe(126);
    expect(outcome.stderr).toContain(`refusing the daemon folder ${open}`);
    expect(outcome.stderr).toMatch(/its mode is 755, which lets other users in \(it must be 700\)/);
    expect(outcome.stdout).toBe("");
    expect(readdirSync(open)).toEqual([]);
    // Never repaired behind the user's back either.
    expect(statSync(open).mode & 0o777).toBe(0o755);
  });

  it("is refused when a parent folder lets others replace it (writable, no sticky bit)", async () => {
    const shared = path.join(work, "shared");
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const inside = path.join(shared, "mine");
    const outcome = await playpen(inside);
    expect(outcome.code).toBe(126);
    expect(outcome.stderr).toContain(`refusing the daemon folder ${inside}: its parent ${shared} has mode 777: others could replace it (no sticky bit)`);
    expect(readdirSync(inside)).toEqual([]);
  });

  it("is refused when it is a symlink, even to a private folder", async () => {
    const link = path.join(work, "link");
    symlinkSync(daemonDir, link);
    const outcome = await playpen(link);
    expect(outcome.code).toBe(126);
    expect(outcome.stderr).toMatch(/refusing the daemon folder .*link: it is a symlink/);
  });

  it.skipIf(!AS_ROOT)(`is refused when another user created it with mode 777 (${AS_ROOT ? "as root" : NOT_ROOT})`, async () => {
    const planted = path.join(work, "planted");
    mkdirSync(planted);
    chownSync(planted, NOBODY, NOBODY);
    chmodSync(planted, 0o777);
    const outcome = await playpen(planted);
    expect(outcome.code).toBe(126);
    expect(outcome.stderr).toContain(`refusing the daemon folder ${planted}: it is owned by uid ${NOBODY}, not by you (uid 0); its mode is 777`);
    expect(readdirSync(planted)).toEqual([]);
  });

  it.skipIf(!AS_ROOT)(`cannot be used to hijack the daemon: the attacker never hears the victim (${AS_ROOT ? "as root" : NOT_ROOT})`, async () => {
    // The attacker (uid 65534) pre-creates the victim's folder and listens on the exact socket name the victim's client uses.
    const attack = mkdtempSync(path.join(tmpdir(), "playpen-attacker-"));
    chmodSync(attack, 0o1777); // like /tmp: anyone may create a folder in it
    const folder = path.join(attack, "playpen-0");
    const heard = path.join(attack, "heard.txt");
    const fake = path.join(attack, "fake-daemon.mjs");
    writeFileSync(
      fake,
      `import fs from "node:fs"; import net from "node:net";
fs.mkdirSync(${JSON.stringify(folder)}, { mode: 0o777 }); fs.chmodSync(${JSON.stringify(folder)}, 0o777);
fs.writeFileSync(${JSON.stringify(heard)}, "");
fs.writeFileSync(${JSON.stringify(path.join(folder, socketName.replace(/\.sock$/, ".key")))}, "attacker's key");
net.createServer((socket) => socket.on("data", (data) => {
  fs.appendFileSync(${JSON.stringify(heard)}, data);
  socket.end(JSON.stringify({ stream: "stdout", text: "forged output\\n" }) + "\\n" + JSON.stringify({ exit: 0 }) + "\\n");
})).listen(${JSON.stringify(path.join(folder, socketName))}, () => { fs.chmodSync(${JSON.stringify(path.join(folder, socketName))}, 0o777); console.log("listening"); });
`,
    );
    chmodSync(fake, 0o644);
    const attacker: ChildProcess = spawn("setpriv", [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", process.execPath, fake], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve, reject) => {
        attacker.stdout!.on("data", () => resolve());
        attacker.once("exit", (code) => reject(new Error(`the attacker's daemon exited (${code})`)));
      });
      expect(statSync(folder).uid).toBe(NOBODY);
      const victim = await playpen(folder, "hunter2\n");
      expect(victim.code).toBe(126);
      expect(victim.stderr).toContain(`refusing the daemon folder ${folder}: it is owned by uid ${NOBODY}`);
      expect(victim.stdout).not.toContain("forged output");
      expect(readFileSync(heard, "utf8")).toBe("");
    } finally {
      attacker.kill();
      rmSync(attack, { recursive: true, force: true });
    }
  });
});
