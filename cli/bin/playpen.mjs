#!/usr/bin/env node
// Runs the TypeScript CLI directly; tsx compiles it on the fly (cached after the first run).
import { tsImport } from "tsx/esm/api";

await tsImport("../src/main.ts", import.meta.url);
