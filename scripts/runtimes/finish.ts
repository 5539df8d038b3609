import { fixZeroTimeoutPoll, inspectModule, ModuleError, pagesOfMiB, setMemoryMaximum, stripCustomSections } from "../../wasm-runtime/module/index.ts";
import { DEFAULT_LIMITS, MAX_MEMORY_MIB } from "../../wasm-runtime/policy/index.ts";

/**
 * What every runtime module gets before it is served: debug sections stripped (browsers
 * download these files), zero-timeout polls rewritten (@wasmer/sdk never returns from
 * them), and the memory maximum set to the default limit, so that under the default
 * policy the engines compile the very bytes served — which is what lets the browser
 * compile them while they download and keep the machine code for the next visit.
 */
export function finishModule(bytes: Uint8Array, warn: (line: string) => void): Uint8Array {
  const stripped = stripCustomSections(bytes);
  // Engines set a runtime's maximum to the policy's limit, raising it if need be: only sound if it was never lower.
  const declaredMax = inspectModule(stripped).memory?.maxPages ?? Infinity;
  if (declaredMax < pagesOfMiB(MAX_MEMORY_MIB)) {
    throw new Error(`the module's memory maximum (${declaredMax} pages) is below the largest limit a policy may set (${MAX_MEMORY_MIB} MiB)`);
  }
  const capped = setMemoryMaximum(stripped, pagesOfMiB(DEFAULT_LIMITS.memoryMiB));
  try {
    return fixZeroTimeoutPoll(capped);
  } catch (error) {
    if (!(error instanceof ModuleError)) throw error;
    // An unpatched module still runs everything but zero-timeout polls.
    warn(`warning: shipping without the poll_oneoff fix: ${error.message}`);
    return capped;
  }
}
