import type { monaco } from "./monaco.ts";

/** How every code editor on the page looks: the main script's and the workspace files'. */
export const EDITOR_OPTIONS: monaco.editor.IStandaloneEditorConstructionOptions = {
  automaticLayout: true,
  minimap: { enabled: false },
  fontSize: 14,
  scrollBeyondLastLine: false,
  theme: "vs-dark",
  tabSize: 4,
};
