export { Shell, runProgram } from "./shell.ts";
export { SHELL_RUN_ID } from "./files.ts";
