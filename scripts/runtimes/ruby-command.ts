import { Writer } from "../../wasm-runtime/module/binary.ts";
import { relink, type RelinkedIndices } from "./relink.ts";

const WASI = "wasi_snapshot_preview1";
const I32 = 0x7f;
const EXPORTS = {
  initialize: "_initialize",
  realloc: "cabi_realloc",
  rubyInit: "ruby-init: func(args: list<string>) -> ()",
  evalProtect: "rb-eval-string-protect: func(str: string) -> tuple<handle<rb-abi-value>, s32>",
} as const;

/**
 * Given to ruby-init after argv[0]: ruby then parses the remaining options but
 * compiles only this empty program (ruby-init never runs code), so ARGV is
 * [SCRIPT, ...ARGUMENTS] for the driver.
 */
const NO_PROGRAM = "-e_=0\0";

/**
 * Runs the script the way `ruby SCRIPT ARGS…` does, in Ruby since the reactor
 * exports no `ruby_run_node`: errors are printed as ruby prints them (without the
 * driver's own frames), `exit`/`abort` statuses kept, then
 * `exit!` so the status reaches WASI's proc_exit. WASI has no working folder: it
 * comes as PWD (default /workspace). at_exit handlers do not run.
 */
export const RUBY_DRIVER = String.raw`
$stdout.sync = true
# The js extension is linked in, but its bridge is stubbed out: a clear LoadError instead of a trap.
module Kernel
  playpen_require = instance_method(:require)
  define_method(:require) do |feature|
    if feature.to_s == "js"
      raise LoadError, "cannot load such file -- js (JavaScript interop needs a JS host; here Ruby runs as a WASI command)"
    end
    playpen_require.bind_call(self, feature)
  end
  private :require
end
status =
  begin
    pwd = ENV.fetch("PWD", "/workspace")
    Dir.chdir(pwd) if File.directory?(pwd)
    script = ARGV.shift
    if script.nil?
      $stderr.puts "ruby: no script given (usage: ruby SCRIPT [ARGUMENTS...])"
      2
    else
      $0 = script
      load script
      0
    end
  rescue SystemExit => e
    e.status
  rescue Exception => e
    # Frames below the script's top level are the driver's (all of them for a syntax error).
    top = e.backtrace&.index { |line| line.end_with?("'<top (required)>'") }
    # syntax_suggest needs threads, which WASI lacks; the parser colours its report for a terminal.
    options = { highlight: false, syntax_suggest: false }
    report =
      if top
        frames = e.backtrace[0..top].reject { |line| line.start_with?("eval:") }
        e.set_backtrace(frames.map { |line| line.sub("'<top (required)>'", "'<main>'") })
        e.full_message(**options)
      else
        "#{e.detailed_message(**options)}\n"
      end
    $stderr.write(report.gsub(/\e\[[\d;]*m/, ""))
    1
  end
$stdout.flush
$stderr.flush
exit!(status)
`;

/**
 * Turns ruby.wasm's reactor (`@ruby/3.4-wasm-wasi`: no `_start`, JS-interop imports)
 * into a WASI command that runs on any WASI preview1 host:
 * - the `rb-js-abi-host` imports become functions that trap (JS objects do not exist
 *   outside a JS host; the driver makes `require "js"` a LoadError); `canonical_abi`'s handle
 *   bookkeeping becomes functions returning 0;
 * - a `_start` reads argv through WASI, calls `_initialize`, hands
 *   `[argv[0], "-e_=0", argv[1..]]` to `ruby-init`, then evaluates RUBY_DRIVER,
 *   which ends the process with the script's status.
 * Strip debug sections first (relink leaves them stale).
 */
export function rubyReactorToCommand(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const utf8 = new TextEncoder();
  const noProgram = utf8.encode(NO_PROGRAM);
  const driver = utf8.encode(RUBY_DRIVER);
  const data = new Uint8Array(noProgram.length + driver.length);
  data.set(noProgram);
  data.set(driver, noProgram.length);
  const pair = { params: [I32, I32], results: [I32] };
  return relink(bytes, {
    // Handles ruby.wasm lends to a JS host; nothing asks for them without one.
    stubImport: (module) => (module === WASI ? undefined : module === "canonical_abi" ? "zero" : "trap"),
    addImports: [
      { module: WASI, name: "args_sizes_get", type: pair },
      { module: WASI, name: "args_get", type: pair },
    ],
    passiveData: [data],
    addFunctions: [
      {
        exportAs: "_start",
        type: { params: [], results: [] },
        body: (indices) => startBody(indices, noProgram.length, driver.length),
      },
    ],
    // A command must not be initialised by the host as well: _start does it.
    removeExports: [EXPORTS.initialize],
  });
}

// Locals of _start.
const SCRATCH = 0;
const ARGC = 1;
const ARGV = 2;
const BUF_END = 3;
const DATA = 4;
const LIST = 5;
const I = 6;
const PTR = 7;
const SLOT = 8;
const LOCALS = 9;

function startBody(indices: RelinkedIndices, noProgramLength: number, driverLength: number): Uint8Array {
  const w = new Writer(512);
  const get = (l: number) => w.u8(0x20).u32(l);
  const set = (l: number) => w.u8(0x21).u32(l);
  const i32 = (n: number) => w.u8(0x41).sleb(n);
  const call = (f: number) => w.u8(0x10).u32(f);
  const load = (offset = 0) => w.u8(0x28).u32(2).u32(offset);
  const store = (offset = 0) => w.u8(0x36).u32(2).u32(offset);
  const add = () => w.u8(0x6a);
  const mul = () => w.u8(0x6c);
  const realloc = indices.exported(EXPORTS.realloc);
  /** Leaves cabi_realloc(NULL, 0, align, size) on the stack; `size` pushes the size. */
  const alloc = (align: number, size: () => void) => {
    i32(0);
    i32(0);
    i32(align);
    size();
    call(realloc);
  };
  const segment = indices.data(0);
  const dataLength = noProgramLength + driverLength;

  w.u32(1).u32(LOCALS).u8(I32);
  call(indices.exported(EXPORTS.initialize));
  // argc and the size of the argument strings
  alloc(4, () => i32(8));
  set(SCRATCH);
  get(SCRATCH);
  get(SCRATCH);
  i32(4);
  add();
  call(indices.imported(WASI, "args_sizes_get"));
  w.u8(0x1a); // drop errno: it cannot fail
  get(SCRATCH);
  load(0);
  set(ARGC);
  alloc(4, () => {
    get(ARGC);
    i32(4);
    mul();
  });
  set(ARGV);
  alloc(1, () => {
    get(SCRATCH);
    load(4);
  });
  set(BUF_END); // the buffer's start for now
  get(ARGV);
  get(BUF_END);
  call(indices.imported(WASI, "args_get"));
  w.u8(0x1a);
  get(BUF_END);
  get(SCRATCH);
  load(4);
  add();
  set(BUF_END);
  // NO_PROGRAM and the driver, copied out of the passive segment
  alloc(1, () => i32(dataLength));
  set(DATA);
  get(DATA);
  i32(0);
  i32(dataLength);
  w.u8(0xfc).u32(8).u32(segment).u8(0); // memory.init
  w.u8(0xfc).u32(9).u32(segment); // data.drop
  // list<string> of argc + 1 (pointer, length) pairs; lengths count the NUL, as ruby.wasm's JS does
  alloc(4, () => {
    get(ARGC);
    i32(1);
    add();
    i32(8);
    mul();
  });
  set(LIST);
  get(LIST);
  get(DATA);
  store(8);
  get(LIST);
  i32(noProgramLength);
  store(12);
  i32(0);
  set(I);
  w.u8(0x02).u8(0x40); // block
  w.u8(0x03).u8(0x40); //   loop
  get(I);
  get(ARGC);
  w.u8(0x4f).u8(0x0d).u32(1); // br_if i >= argc
  get(ARGV);
  get(I);
  i32(4);
  mul();
  add();
  load(0);
  set(PTR);
  // slot = list + (i == 0 ? 0 : i + 1) * 8: argv[0], then NO_PROGRAM, then the rest
  get(LIST);
  get(I);
  get(I);
  i32(0);
  w.u8(0x47); // i32.ne
  add();
  i32(8);
  mul();
  add();
  set(SLOT);
  get(SLOT);
  get(PTR);
  store(0);
  // length = (the next argument's start, or the buffer's end) - ptr
  get(SLOT);
  get(I);
  i32(1);
  add();
  get(ARGC);
  w.u8(0x49); // i32.lt_u
  w.u8(0x04).u8(I32); // if (result i32)
  get(ARGV);
  get(I);
  i32(1);
  add();
  i32(4);
  mul();
  add();
  load(0);
  w.u8(0x05); // else
  get(BUF_END);
  w.u8(0x0b);
  get(PTR);
  w.u8(0x6b); // i32.sub
  store(4);
  get(I);
  i32(1);
  add();
  set(I);
  w.u8(0x0c).u32(0); // br loop
  w.u8(0x0b).u8(0x0b);
  get(LIST);
  get(ARGC);
  i32(1);
  add();
  call(indices.exported(EXPORTS.rubyInit));
  get(DATA);
  i32(noProgramLength);
  add();
  i32(driverLength);
  call(indices.exported(EXPORTS.evalProtect));
  w.u8(0x1a);
  // The driver ends the process; getting here means it could not run at all.
  i32(1);
  call(indices.imported(WASI, "proc_exit"));
  w.u8(0x0b);
  return w.finish();
}
