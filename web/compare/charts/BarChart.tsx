import { useId } from "react";
import type { Bar } from "../figures.ts";
import { formatTick, type Scale } from "../scale.ts";

const PLOT_WIDTH = 450;
const VALUE_WIDTH = 80;
/** A label's width in the chart's units: 12 px text averages under 7 units a character. */
const CHAR_WIDTH = 7;
const ROW_HEIGHT = 24;
const BAR_HEIGHT = 16;
const AXIS_HEIGHT = 22;

export interface BarChartProps {
  /** Names the chart for assistive technology (the SVG's <title>). */
  title: string;
  /** One sentence on how to read it (the SVG's <desc>). */
  description: string;
  bars: readonly Bar[];
  scale: Scale;
  unit: "ms" | "×" | "";
  format: (value: number) => string;
  /** A vertical line at a value that means "no difference", e.g. 1× the baseline. */
  reference?: { value: number; label: string };
  /** Under the axis: what it measures, its unit and which way is better, e.g. "median wall time (ms, log scale) — shorter is better". */
  axisLabel: string;
  testId: string;
}

/**
 * A horizontal bar chart in plain SVG: one labelled row per bar, the value
 * written at the end of each bar, ticks on top, WASM rows in their own colour.
 * Hovering a bar shows how its value was obtained.
 */
export function BarChart({ title, description, bars, scale, unit, format, reference, axisLabel, testId }: BarChartProps) {
  const id = useId();
  // As wide as the longest label, so no label is ever cut.
  const LABEL_WIDTH = Math.max(120, 16 + CHAR_WIDTH * Math.max(0, ...bars.map((bar) => (bar.kind === "wasm" ? 2 : 0) + bar.label.length)));
  const WIDTH = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH;
  const rowsEnd = AXIS_HEIGHT + bars.length * ROW_HEIGHT + 4;
  const height = rowsEnd + AXIS_HEIGHT;
  const x = (value: number) => LABEL_WIDTH + scale.position(value) * PLOT_WIDTH;
  return (
    <svg
      className="bar-chart"
      data-testid={testId}
      data-scale={scale.kind}
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      <g className="axis" aria-hidden="true">
        {scale.ticks.map((tick) => (
          <g key={tick} transform={`translate(${x(tick)},0)`}>
            <line className="grid" y1={AXIS_HEIGHT - 4} y2={rowsEnd} />
            <text className="tick" y={AXIS_HEIGHT - 8} textAnchor="middle">
              {formatTick(tick, unit)}
            </text>
          </g>
        ))}
      </g>
      {/* Under the bars, so it never hides a value. */}
      {reference && (
        <g className="reference-line" data-testid={`${testId}-reference`}>
          <line x1={x(reference.value)} x2={x(reference.value)} y1={AXIS_HEIGHT - 4} y2={rowsEnd} />
          <title>{reference.label}</title>
        </g>
      )}
      <text className="axis-label" data-testid={`${testId}-axis`} x={LABEL_WIDTH + PLOT_WIDTH / 2} y={rowsEnd + AXIS_HEIGHT - 6} textAnchor="middle">
        {axisLabel}
      </text>
      {bars.map((bar, i) => {
        const y = AXIS_HEIGHT + i * ROW_HEIGHT;
        const end = x(bar.value);
        return (
          <g key={bar.backend} className={`bar ${bar.kind}`} data-testid="bar" data-backend={bar.backend} data-value={bar.value}>
            <title>{`${bar.label}${bar.kind === "wasm" ? " (WebAssembly)" : ""}: ${format(bar.value)} — ${bar.detail}`}</title>
            <text className="label" x={LABEL_WIDTH - 8} y={y + ROW_HEIGHT / 2} textAnchor="end" dominantBaseline="middle">
              {bar.kind === "wasm" ? `◆ ${bar.label}` : bar.label}
            </text>
            <rect x={LABEL_WIDTH} y={y + (ROW_HEIGHT - BAR_HEIGHT) / 2} width={Math.max(1, end - LABEL_WIDTH)} height={BAR_HEIGHT} rx={2} />
            <text className="value" x={end + 6} y={y + ROW_HEIGHT / 2} dominantBaseline="middle">
              {format(bar.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
