import { isText, TEXT_DIFF_MAX_BYTES } from "../../wasm-runtime/workspace/index.ts";
import { monaco } from "../components/monaco.ts";
import { editorLanguageFor } from "./editor-language.ts";
import type { WorkspaceSession } from "./session.ts";

/** Files larger than this open as a note, not as text: Monaco stays quick. */
export const EDITABLE_MAX_BYTES = TEXT_DIFF_MAX_BYTES;

/** Why a file cannot be edited as text, or null when it can. */
export function notEditable(session: WorkspaceSession, path: string): string | null {
  if (!session.snapshot) return session.loadError ?? "The files are still loading";
  const entry = session.snapshot.entries.get(path);
  if (!entry || entry.kind !== "file") return `${path} is no longer in the workspace`;
  if (entry.data.length > EDITABLE_MAX_BYTES) return `${path} is ${entry.data.length.toLocaleString()} bytes: too large to edit here (download it instead)`;
  if (!isText(entry.data)) return `${path} is a binary file (${entry.data.length.toLocaleString()} bytes)`;
  return null;
}

/**
 * One Monaco model per open file, outliving the editor that shows it (the
 * editor exists only while a file tab is active). A model's edits are written
 * into the workspace at once; a change of the workspace from elsewhere (an
 * accepted run, an upload) is copied into the model.
 */
export class FileModels {
  readonly #models = new Map<string, monaco.editor.ITextModel>();
  #syncing = false;
  readonly session: WorkspaceSession;
  readonly #onError: (message: string) => void;

  constructor(session: WorkspaceSession, onError: (message: string) => void) {
    this.session = session;
    this.#onError = onError;
  }

  /** The model of `path`, created from the workspace on first use. */
  model(path: string): monaco.editor.ITextModel {
    let model = this.#models.get(path);
    if (!model) {
      model = monaco.editor.createModel(this.session.readText(path), editorLanguageFor(path));
      const own = model;
      own.onDidChangeContent(() => {
        if (this.#syncing) return;
        try {
          this.session.change((ws) => ws.writeFile(path, own.getValue()));
        } catch (error) {
          this.#onError(error instanceof Error ? error.message : String(error));
        }
      });
      this.#models.set(path, model);
    }
    return model;
  }

  /** Keeps the models of `open` paths in step with the workspace and drops the others. */
  sync(open: readonly string[]): void {
    for (const [path, model] of this.#models) {
      if (!open.includes(path) || notEditable(this.session, path) !== null) {
        model.dispose();
        this.#models.delete(path);
        continue;
      }
      const text = this.session.readText(path);
      if (model.getValue() === text) continue;
      this.#syncing = true;
      try {
        model.setValue(text);
      } finally {
        this.#syncing = false;
      }
    }
  }

  dispose(): void {
    for (const model of this.#models.values()) model.dispose();
    this.#models.clear();
  }
}
