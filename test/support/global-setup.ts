import { execFileSync } from "node:child_process";

/** Unit tests run real runtimes and examples: build them first (a no-op when up to date). */
export default function setup(): void {
  for (const script of ["scripts/build-runtimes.ts", "scripts/build-examples.ts"]) {
    execFileSync("npx", ["tsx", script], { stdio: "inherit" });
  }
}
