import { forwardRef, useEffect, useImperativeHandle, useRef } from "react";
import { EDITOR_OPTIONS } from "./editor-options.ts";
import { monaco } from "./monaco.ts";

export interface ErrorMark {
  line: number;
  message: string;
}

export interface CodeEditorHandle {
  /**
   * Replaces the text of document `key` as one undoable edit (Ctrl+Z brings the
   * old text back). A document not opened yet takes its text from `value` when it is.
   */
  load(key: string, text: string): void;
}

interface Props {
  /** Which document is shown: each has its own model, so its undo history and cursor survive switching away. */
  docKey: string;
  /** The text a document starts with when first shown; later the editor is its source of truth. */
  value: string;
  /** Monaco language id: "python", "c", "plaintext". */
  language: string;
  readOnly: boolean;
  errors: readonly ErrorMark[];
  onChange: (key: string, value: string) => void;
  onRun: () => void;
}

/**
 * The Monaco editor, with Ctrl/Cmd+Enter bound to Run and error lines marked.
 * Text flows one way, editor → page (`onChange`); the page changes a document
 * only through `load`. Never setting the model from a render's `value` is what
 * keeps typing safe while the page re-renders (a render with a value a keystroke
 * old used to reset the text and move the cursor to line 1).
 */
export const CodeEditor = forwardRef<CodeEditorHandle, Props>(function CodeEditor({ docKey, value, language, readOnly, errors, onChange, onRun }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const models = useRef(new Map<string, monaco.editor.ITextModel>());
  // Monaco keeps its own callbacks; refs let them see the latest props.
  const latest = useRef({ onChange, onRun, value });
  useEffect(() => {
    latest.current = { onChange, onRun, value };
  });

  useEffect(() => {
    const instance = monaco.editor.create(host.current!, { ...EDITOR_OPTIONS, model: null });
    instance.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => latest.current.onRun());
    editor.current = instance;
    const owned = models.current;
    return () => {
      instance.dispose();
      for (const model of owned.values()) model.dispose();
      owned.clear();
    };
  }, []);

  useEffect(() => {
    let model = models.current.get(docKey);
    if (!model) {
      model = monaco.editor.createModel(latest.current.value, language);
      const own = model;
      own.onDidChangeContent(() => latest.current.onChange(docKey, own.getValue()));
      models.current.set(docKey, model);
    }
    editor.current!.setModel(model);
    // docKey alone decides the model; the language only follows it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [docKey]);

  useImperativeHandle(ref, () => ({
    load(key, text) {
      const model = models.current.get(key);
      if (!model || model.getValue() === text) return;
      model.pushStackElement();
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
      // A boundary: the next keystroke is its own undo step, not merged into the load.
      model.pushStackElement();
    },
  }));

  useEffect(() => {
    monaco.editor.setModelLanguage(editor.current!.getModel()!, language);
  }, [language, docKey]);

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
  }, [errors, docKey]);

  return <div className="editor" data-testid="editor" ref={host} />;
});
