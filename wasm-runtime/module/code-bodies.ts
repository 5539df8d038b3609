import type { Section } from "./binary.ts";
import { sectionReader } from "./inspect.ts";
import { scanExpression, valType } from "./instructions.ts";

/** One function body of the code section: [sizeStart, start) is its size, [start, end) its locals and code. */
export interface FunctionBody {
  index: number;
  sizeStart: number;
  start: number;
  end: number;
}

/**
 * Walks the code section's bodies, checking each is well-formed; before yielding a
 * body it fills `sites` with its function-index immediates equal to `target` (see
 * scanExpression). Throws ModuleError ("invalid") on a malformed section.
 */
export function* functionBodies(bytes: Uint8Array, code: Section, definedCount: number, target: number, sites: number[]): Generator<FunctionBody> {
  const r = sectionReader(bytes, code);
  const count = r.u32();
  if (count !== definedCount) r.fail(`the code section has ${count} bodies but the function section declares ${definedCount}`);
  for (let index = 0; index < count; index++) {
    const sizeStart = r.pos;
    const size = r.u32();
    const start = r.pos;
    const end = start + size;
    if (size > code.end - start) r.fail(`function body ${index} overruns the code section`);
    r.end = end;
    for (let n = r.u32(); n > 0; n--) {
      r.u32();
      valType(r);
    }
    sites.length = 0;
    r.what = `code of defined function ${index}`;
    scanExpression(r, target, sites);
    if (r.pos !== end) r.fail("function body continues after its final `end`");
    r.end = code.end;
    yield { index, sizeStart, start, end };
  }
}
