import type { LoadProgress } from "../../wasm-runtime/index.ts";

/** Shown while a language runtime downloads and compiles. */
export function RuntimeProgress({ progress }: { progress: LoadProgress | null }) {
  const fraction = progress?.phase === "download" && progress.total ? progress.loaded / progress.total : undefined;
  const label = !progress
    ? "Starting the sandbox…"
    : progress.phase === "download"
      ? `Downloading the ${progress.runtime} runtime: ${mib(progress.loaded)}${progress.total ? ` of ${mib(progress.total)}` : ""}`
      : `Compiling the ${progress.runtime} runtime…`;
  return (
    <div className="runtime-progress" data-testid="runtime-progress" role="progressbar" aria-valuetext={label}>
      <progress value={fraction} max={1} />
      <span>{label}</span>
    </div>
  );
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
