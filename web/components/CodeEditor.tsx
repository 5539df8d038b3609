import { useEffect, useRef } from "react";
import { EDITOR_OPTIONS } from "./editor-options.ts";
import { monaco } from "./monaco.ts";

export interface ErrorMark {
  line: number;
  message: string;
}

interface Props {
  value: string;
  /** Monaco language id: "python", "c", "plaintext". */
  language: string;
  readOnly: boolean;
  errors: readonly ErrorMark[];
  onChange: (value: string) => void;
  onRun: () => void;
}

/** The Monaco editor, with Ctrl/Cmd+Enter bound to Run and error lines marked. */
export function CodeEditor({ value, language, readOnly, errors, onChange, onRun }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  // Monaco keeps its own callbacks; refs let them see the latest props.
  const latest = useRef({ onChange, onRun });
  useEffect(() => {
    latest.current = { onChange, onRun };
  });

  useEffect(() => {
    const instance = monaco.editor.create(host.current!, { ...EDITOR_OPTIONS, value: "" });
    instance.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => latest.current.onRun());
    instance.onDidChangeModelContent(() => latest.current.onChange(instance.getValue()));
    editor.current = instance;
    return () => instance.dispose();
  }, []);

  useEffect(() => {
    const instance = editor.current!;
    if (instance.getValue() !== value) instance.setValue(value);
  }, [value]);

  useEffect(() => {
    const model = editor.current!.getModel()!;
    monaco.editor.setModelLanguage(model, language);
  }, [language]);

  useEffect(() => {
    editor.current!.updateOptions({ readOnly });
  }, [readOnly]);

  useEffect(() => {
    const model = editor.current!.getModel()!;
    monaco.editor.setModelMarkers(
      model,
      "playpen",
      errors.map(({ line, message }) => ({
        severity: monaco.MarkerSeverity.Error,
        message,
        startLineNumber: line,
        endLineNumber: line,
        startColumn: 1,
        endColumn: model.getLineMaxColumn(Math.min(line, model.getLineCount())),
      })),
    );
  }, [errors, value]);

  return <div className="editor" data-testid="editor" ref={host} />;
}
