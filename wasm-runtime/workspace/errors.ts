/** Why a workspace operation was refused. Each code has one meaning; the message names the path. */
export type WorkspaceErrorCode =
  | "path-empty"
  | "path-nul"
  | "path-escapes"
  | "path-outside"
  | "name-too-long"
  | "path-too-long"
  | "not-found"
  | "is-directory"
  | "not-directory"
  | "exists"
  | "move-into-itself"
  | "read-only"
  | "quota-bytes"
  | "quota-entries"
  | "zip-invalid"
  | "zip-unsafe-entry";

export class WorkspaceError extends Error {
  readonly code: WorkspaceErrorCode;
  /** The path (or zip entry name) the error is about, as given. */
  readonly path: string | undefined;

  constructor(code: WorkspaceErrorCode, message: string, path?: string) {
    super(message);
    this.name = "WorkspaceError";
    this.code = code;
    this.path = path;
  }
}
