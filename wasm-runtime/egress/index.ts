/** The exfiltration filter: recognises secrets and decoys leaving a run in any spelling it knows, and hides them. */
export { EgressFilter, RedactingStreams, labelOf, type Finding, type Watched } from "./filter.ts";
export type { Form } from "./forms.ts";
export { RunGuard } from "./run-guard.ts";
export { plantDecoys, NO_DECOYS, type PlantedDecoys } from "./decoys.ts";
export { AlertRules } from "./alerts.ts";
export { findShapes, ShapeWatch, type ShapeFinding } from "./shapes.ts";
