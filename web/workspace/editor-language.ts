import { monaco } from "../components/monaco.ts";

/** The Monaco language registered for `path`'s extension, or plain text. */
export function editorLanguageFor(path: string): string {
  const dot = path.lastIndexOf(".");
  if (dot < 0 || dot < path.lastIndexOf("/")) return "plaintext";
  const extension = path.slice(dot).toLowerCase();
  return monaco.languages.getLanguages().find((l) => l.extensions?.includes(extension))?.id ?? "plaintext";
}
