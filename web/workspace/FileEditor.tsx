import { useEffect, useRef } from "react";
import { EDITOR_OPTIONS } from "../components/editor-options.ts";
import { monaco } from "../components/monaco.ts";
import type { FileModels } from "./file-models.ts";

/** A Monaco editor on one workspace file's model; edits go straight into the workspace. */
export function FileEditor({ models, path, readOnly, onRun }: { models: FileModels; path: string; readOnly: boolean; onRun: () => void }) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const latestRun = useRef(onRun);
  useEffect(() => {
    latestRun.current = onRun;
  });

  useEffect(() => {
    const instance = monaco.editor.create(host.current!, { ...EDITOR_OPTIONS, model: null });
    instance.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => latestRun.current());
    editor.current = instance;
    return () => instance.dispose();
  }, []);

  useEffect(() => {
    editor.current!.setModel(models.model(path));
  }, [models, path]);

  useEffect(() => {
    editor.current!.updateOptions({ readOnly });
  }, [readOnly]);

  return <div className="editor file-editor" data-testid="file-editor" data-path={path} ref={host} />;
}
