import type { Language } from "../wasm-runtime/index.ts";
import helloPy from "../examples/python/hello.py?raw";
import filesPy from "../examples/python/files.py?raw";
import tracebackPy from "../examples/python/traceback_demo.py?raw";
import asyncioPy from "../examples/python/asyncio_demo.py?raw";
import primesPy from "../examples/python/primes.py?raw";
import stdlibTourPy from "../examples/python/stdlib_tour.py?raw";
import runawayPy from "../examples/python/runaway.py?raw";
import floodPy from "../examples/python/output_flood.py?raw";
import toolsPy from "../examples/python/tools_demo.py?raw";
import helloJs from "../examples/js/hello.js?raw";
import errorJs from "../examples/js/error.js?raw";
import helloSql from "../examples/sql/hello.sql?raw";
import helloLua from "../examples/lua/hello.lua?raw";
import helloRb from "../examples/ruby/hello.rb?raw";
import errorRb from "../examples/ruby/error.rb?raw";
import pipelineSh from "../examples/sh/pipeline.sh?raw";
import pythonGrepSh from "../examples/sh/python-grep.sh?raw";
import loopSh from "../examples/sh/loop.sh?raw";
import helloC from "../examples/c/hello.c?raw";
import errorC from "../examples/c-source/error.c?raw";
import cpuBenchC from "../examples/c/cpu-bench.c?raw";
import fileioBenchC from "../examples/c/fileio-bench.c?raw";
import syscallBenchC from "../examples/c/syscall-bench.c?raw";

/** A program shown in the Examples menu. WASI examples show their C source; the module is prebuilt. */
export interface Example {
  id: string;
  title: string;
  language: Language;
  source: string;
  args?: string;
  stdin?: string;
}

export const EXAMPLES: readonly Example[] = [
  { id: "hello-py", title: "Python: hello, args and stdin", language: "python", source: helloPy, args: "--verbose data.csv", stdin: "Ada\n" },
  { id: "files-py", title: "Python: files in the workspace", language: "python", source: filesPy },
  { id: "asyncio-py", title: "Python: asyncio and sleep(0)", language: "python", source: asyncioPy },
  { id: "primes-py", title: "Python: CPU-bound sieve", language: "python", source: primesPy },
  { id: "stdlib-py", title: "Python: a tour of the standard library", language: "python", source: stdlibTourPy },
  { id: "traceback-py", title: "Python: a traceback", language: "python", source: tracebackPy },
  { id: "runaway-py", title: "Python: runaway loop (press Stop)", language: "python", source: runawayPy },
  { id: "flood-py", title: "Python: output flood (capped)", language: "python", source: floodPy },
  { id: "tools-py", title: "Python: host tools (gated engine)", language: "python", source: toolsPy },
  { id: "hello-js", title: "JavaScript: hello, args, stdin and files", language: "javascript", source: helloJs, args: "--fast input.txt", stdin: "Ada\n" },
  { id: "error-js", title: "JavaScript: an uncaught error", language: "javascript", source: errorJs },
  { id: "hello-sql", title: "SQL: a database kept in the workspace", language: "sql", source: helloSql, args: "-box" },
  { id: "hello-lua", title: "Lua: hello, files, pcall and coroutines", language: "lua", source: helloLua, args: "one two", stdin: "Ada\n" },
  { id: "hello-rb", title: "Ruby: hello, args, stdin and files", language: "ruby", source: helloRb, args: "one 'two words'", stdin: "Ada\n" },
  { id: "error-rb", title: "Ruby: an uncaught exception", language: "ruby", source: errorRb },
  { id: "pipeline-sh", title: "Shell: a pipeline over workspace files", language: "shell", source: pipelineSh },
  { id: "python-grep-sh", title: "Shell: python | grep > file", language: "shell", source: pythonGrepSh },
  { id: "loop-sh", title: "Shell: variables, loops, && and ||", language: "shell", source: loopSh },
  { id: "hello-c", title: "C: compiled in the page by clang, then run", language: "c", source: helloC, args: "one 'two words'" },
  { id: "error-c", title: "C: a compile error", language: "c", source: errorC },
  { id: "hello", title: "WASI (C): hello with args, env and files", language: "wasm", source: helloC, args: "one 'two words'" },
  { id: "cpu-bench", title: "WASI (C): CPU benchmark", language: "wasm", source: cpuBenchC },
  { id: "fileio-bench", title: "WASI (C): file-I/O benchmark", language: "wasm", source: fileioBenchC },
  { id: "syscall-bench", title: "WASI (C): syscall-heavy benchmark", language: "wasm", source: syscallBenchC },
];

export const DEFAULT_EXAMPLE = EXAMPLES[0]!;

/** Where the prebuilt WASI module of a C example is served from. */
export function exampleModuleUrl(id: string): string {
  return `${import.meta.env.BASE_URL}examples/${id}.wasm`;
}
