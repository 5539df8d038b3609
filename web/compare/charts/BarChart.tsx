import { useId } from "react";
import type { Bar } from "../figures.ts";
import { formatTick, type Scale } from "../scale.ts";

const WIDTH = 760;
const LABEL_WIDTH = 230;
const VALUE_WIDTH = 80;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
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
  testId: string;
}

/**
 * A horizontal bar chart in plain SVG: one labelled row per bar, the value
 * written at the end of each bar, ticks on top, WASM rows in their own colour.
 * Hovering a bar shows how its value was obtained.
 */
export function BarChart({ title, description, bars, scale, unit, format, reference, testId }: BarChartProps) {
  const id = useId();
  const height = AXIS_HEIGHT + bars.length * ROW_HEIGHT + 4;
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
            <line className="grid" y1={AXIS_HEIGHT - 4} y2={height} />
            <text className="tick" y={AXIS_HEIGHT - 8} textAnchor="middle">
              {formatTick(tick, unit)}
            </text>
          </g>
        ))}
      </g>
      {/* Under the bars, so it never hides a value. */}
      {reference && (
        <g className="reference-line" data-testid={`${testId}-reference`}>
          <line x1={x(reference.value)} x2={x(reference.value)} y1={AXIS_HEIGHT - 4} y2={height} />
          <title>{reference.label}</title>
        </g>
      )}
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
