/** What a shell remembers from one command line to the next: variables, exports, the folder, `$?`. */
export class ShellState {
  cwd: string;
  status = 0;
  positional: string[] = [];
  readonly vars = new Map<string, string>();
  readonly exported = new Set<string>();

  constructor(cwd: string, env: Record<string, string> = {}) {
    this.cwd = cwd;
    for (const [name, value] of Object.entries(env)) this.export(name, value);
    this.export("PWD", cwd);
  }

  get(name: string): string | undefined {
    return this.vars.get(name);
  }

  set(name: string, value: string): void {
    this.vars.set(name, value);
  }

  export(name: string, value?: string): void {
    if (value !== undefined) this.vars.set(name, value);
    this.exported.add(name);
  }

  unset(name: string): void {
    this.vars.delete(name);
    this.exported.delete(name);
  }

  /** The variables a command sees: the exported ones, plus its own `NAME=value` prefixes. */
  environment(extra: Record<string, string> = {}): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of this.exported) {
      const value = this.vars.get(name);
      if (value !== undefined) env[name] = value;
    }
    return { ...env, ...extra };
  }

  /** A copy for a subshell, `( … )` or `$( … )`: its changes do not come back. */
  fork(): ShellState {
    const copy = new ShellState(this.cwd);
    copy.status = this.status;
    copy.positional = [...this.positional];
    for (const [name, value] of this.vars) copy.vars.set(name, value);
    for (const name of this.exported) copy.exported.add(name);
    return copy;
  }
}
