/** A failure the shell reports as `sh: …` on stderr, ending the command with `status` (the script goes on). */
export class ShellError extends Error {
  readonly status: number;

  constructor(message: string, status = 1) {
    super(message);
    this.status = status;
  }
}

/** `exit N`: ends the script (or the subshell it runs in) with status N. */
export class ExitRequest {
  readonly status: number;

  constructor(status: number) {
    this.status = status;
  }
}

/** The script's time limit was reached or Stop was pressed: everything ends now. */
export class ScriptEnded {
  readonly reason: "timeout" | "stopped";

  constructor(reason: "timeout" | "stopped") {
    this.reason = reason;
  }
}
