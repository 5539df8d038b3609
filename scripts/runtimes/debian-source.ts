import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../build-examples.ts";
import { run } from "./toolchain.ts";

const APT_DIR = join(ROOT, "build/apt");
const SOURCES_DIR = join(ROOT, "build/runtime-sources");
const KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";
// The suites the machine itself uses, as source lines; security fixes land in the last one.
const SOURCE_LINES = [
  `deb-src [signed-by=${KEYRING}] http://deb.debian.org/debian bookworm main`,
  `deb-src [signed-by=${KEYRING}] http://deb.debian.org/debian bookworm-updates main`,
  `deb-src [signed-by=${KEYRING}] http://deb.debian.org/debian-security bookworm-security main`,
];

/** What this machine lacks to download Debian sources, or undefined. */
export function missingAptSource(): string | undefined {
  if (!existsSync("/usr/bin/apt-get")) return "apt-get (Debian's package tool)";
  if (!existsSync("/usr/bin/dpkg-source")) return "dpkg-source (apt-get install dpkg-dev)";
  if (!existsSync(KEYRING)) return `Debian's archive keyring (${KEYRING}; apt-get install debian-archive-keyring)`;
  return undefined;
}

/**
 * apt configured privately under build/apt, so the machine's own configuration
 * (which has no deb-src lines) is neither needed nor touched.
 */
function aptConfig(): string {
  const etc = join(APT_DIR, "etc");
  for (const dir of ["etc/sources.list.d", "etc/preferences.d", "state/lists/partial", "cache/archives/partial"]) {
    mkdirSync(join(APT_DIR, dir), { recursive: true });
  }
  writeFileSync(join(etc, "sources.list"), `${SOURCE_LINES.join("\n")}\n`);
  const config = join(APT_DIR, "apt.conf");
  writeFileSync(
    config,
    [
      `Dir::Etc::SourceList "${join(etc, "sources.list")}";`,
      `Dir::Etc::SourceParts "${join(etc, "sources.list.d")}";`,
      `Dir::Etc::Preferences "${join(etc, "preferences")}";`,
      `Dir::Etc::PreferencesParts "${join(etc, "preferences.d")}";`,
      `Dir::State "${join(APT_DIR, "state")}";`,
      `Dir::Cache "${join(APT_DIR, "cache")}";`,
      // The downloads land in a folder only root may enter; apt's sandbox user could not write there.
      `APT::Sandbox::User "${process.getuid?.() === 0 ? "root" : (process.env.USER ?? "root")}";`,
      "",
    ].join("\n"),
  );
  return config;
}

let listsFresh = false;

/**
 * Downloads and unpacks a Debian source package (Debian's patches applied) into
 * build/runtime-sources/, once; returns the unpacked folder.
 */
export async function debianSource(pkg: string, version: string, log: (line: string) => void): Promise<string> {
  const upstream = version.replace(/^\d+:/, "").replace(/-[^-]+$/, "");
  const dir = join(SOURCES_DIR, `${pkg}-${upstream}`);
  const stamp = join(SOURCES_DIR, `${pkg}_${version.replace(/^\d+:/, "")}.unpacked`);
  if (existsSync(stamp) && existsSync(dir)) return dir;
  mkdirSync(SOURCES_DIR, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  const env = { ...process.env, APT_CONFIG: aptConfig() };
  const apt = (args: string[]) => run("apt-get", ["-q", ...args], SOURCES_DIR, env);
  if (!listsFresh) {
    log("apt-get update (Debian source lists)");
    await apt(["update"]);
    listsFresh = true;
  }
  log(`apt-get source ${pkg}=${version}`);
  try {
    await apt(["source", `${pkg}=${version}`]);
  } catch (error) {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n` +
        `Debian no longer serves ${pkg} ${version}? \`APT_CONFIG=${env.APT_CONFIG} apt-cache showsrc ${pkg}\` lists what it has; update the version in scripts/runtimes/.`,
      { cause: error },
    );
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`apt-get source ${pkg} did not unpack into ${dir} (found: ${readdirSync(SOURCES_DIR).join(", ")})`);
  }
  writeFileSync(stamp, "");
  return dir;
}
