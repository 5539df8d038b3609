import { fixZeroTimeoutPoll, ModuleError, stripCustomSections } from "../../wasm-runtime/module/index.ts";

/**
 * What every runtime module gets before it is served: debug sections stripped (browsers
 * download these files) and zero-timeout polls rewritten, since @wasmer/sdk never returns from them.
 */
export function finishModule(bytes: Uint8Array, warn: (line: string) => void): Uint8Array {
  const stripped = stripCustomSections(bytes);
  try {
    return fixZeroTimeoutPoll(stripped);
  } catch (error) {
    if (!(error instanceof ModuleError)) throw error;
    // An unpatched module still runs everything but zero-timeout polls.
    warn(`warning: shipping without the poll_oneoff fix: ${error.message}`);
    return stripped;
  }
}
