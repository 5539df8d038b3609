export { ModuleError, type ModuleErrorKind } from "./errors.ts";
export {
  assembleModule,
  readSections,
  Reader,
  sectionName,
  SectionId,
  Writer,
  type Section,
  type SectionPayload,
} from "./binary.ts";
export {
  assertWasiCommand,
  inspectModule,
  type ExportInfo,
  type ExternKind,
  type ImportInfo,
  type MemoryInfo,
  type ModuleInfo,
} from "./inspect.ts";
export { fixZeroTimeoutPoll } from "./fix-zero-timeout-poll.ts";
export { isToolingSection, stripCustomSections } from "./strip.ts";
export { capMemory, pagesOfMiB, setMemoryMaximum, WASM_PAGE_BYTES } from "./memory-limit.ts";
export { capTables, disableTableLimitForTests, limitModule, MAX_TABLE_ENTRIES, MAX_TABLES } from "./table-limit.ts";
