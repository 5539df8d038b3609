import { useEffect, useState } from "react";
import type { Language } from "../../wasm-runtime/index.ts";
import { presentationOf, SOURCE_LANGUAGES } from "../../wasm-runtime/languages/index.ts";
import { loadRuntimeManifest, type RuntimeManifest } from "../../workers/runtime-manifest.ts";
import { megabytes, runtimeStatus, type RuntimeStatus } from "../runtime-manifest.ts";

interface Props {
  value: Language;
  onChange(language: Language): void;
  disabled: boolean;
}

/**
 * The language menu, from the runtimes this build serves (public/runtimes/manifest.json):
 * each language with its runtime's version and size; one whose runtime was not built
 * is listed disabled, its reason as the tooltip. Until the manifest arrives every
 * language is listed plain.
 */
export function LanguageSelect({ value, onChange, disabled }: Props) {
  const [manifest, setManifest] = useState<RuntimeManifest | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    loadRuntimeManifest().then(
      (loaded) => live && setManifest(loaded),
      (error: unknown) => live && setProblem(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      live = false;
    };
  }, []);
  const status = (language: Language): RuntimeStatus | undefined =>
    manifest && language !== "wasm" ? runtimeStatus(manifest, language) : undefined;
  const selected = status(value);
  return (
    <label title={problem ?? undefined}>
      <span className="label-text">Language </span>
      <select data-testid="language" value={value} onChange={(e) => onChange(e.target.value as Language)} disabled={disabled}>
        {SOURCE_LANGUAGES.map((language) => {
          const runtime = status(language);
          const title = presentationOf(language).title;
          return (
            <option
              key={language}
              value={language}
              disabled={runtime?.available === false}
              title={runtime === undefined ? undefined : runtime.available ? `${runtime.entry.file} from ${runtime.entry.source}` : runtime.reason}
            >
              {runtime?.available ? `${title} · ${runtime.entry.version} · ${megabytes(runtime.entry.size)}` : runtime ? `${title} (unavailable)` : title}
            </option>
          );
        })}
        <option value="wasm">WASI module (.wasm)</option>
      </select>{" "}
      {selected?.available && (
        <span className="runtime-info" data-testid="runtime-info" title={`${selected.entry.file} from ${selected.entry.source}, sha256 ${selected.entry.sha256}`}>
          {selected.entry.name} {selected.entry.version}, {megabytes(selected.entry.size)}
        </span>
      )}
    </label>
  );
}
