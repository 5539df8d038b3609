import { useEffect, useRef } from "react";
import { monaco } from "../components/monaco.ts";
import { editorLanguageFor } from "./editor-language.ts";

/** Monaco's side-by-side diff of one file: before the run on the left, after it on the right. */
export function DiffView({ path, before, after }: { path: string; before: string; after: string }) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const editor = monaco.editor.createDiffEditor(host.current!, {
      automaticLayout: true,
      readOnly: true,
      originalEditable: false,
      renderSideBySide: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      theme: "vs-dark",
      fontSize: 13,
    });
    const language = editorLanguageFor(path);
    const original = monaco.editor.createModel(before, language);
    const modified = monaco.editor.createModel(after, language);
    editor.setModel({ original, modified });
    return () => {
      editor.dispose();
      original.dispose();
      modified.dispose();
    };
  }, [path, before, after]);

  return <div className="review-diff" data-testid="review-diff" data-path={path} ref={host} />;
}
