export interface TerminalOutput {
  readonly terminals: { stdout: boolean; stderr: boolean };
  write(stream: "stdout" | "stderr", text: string): void;
  prompt(question: string): Promise<string>;
}
export function terminalOutput(): TerminalOutput;
