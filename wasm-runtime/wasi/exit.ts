/** Thrown by proc_exit to unwind the guest's stack; caught by `start`, never seen by the guest. */
export class ExitSignal extends Error {
  readonly code: number;

  constructor(code: number) {
    super(`exit ${code}`);
    this.name = "ExitSignal";
    this.code = code;
  }
}
