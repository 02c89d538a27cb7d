import { s } from './dom.js';
import { formatClock, formatDuration } from './format.js';
import { causeLabel, describeDowntime, downtimeSpan, peakParallelism, type ParallelismSeries } from './parallelism-series.js';
import type { ParallelismChange } from '../rest/types/responses.js';

const H = 260;
const MIN_W = 480;
const MAX_W = 2400;
const MARGIN = { left: 44, right: 20, top: 64, bottom: 30 } as const;
const PLOT_H = H - MARGIN.top - MARGIN.bottom;
const LABEL_ROWS = 3;
const MIN_SPAN_MS = 10_000;

/** Colours of the series lines, matching the legend's swatches (CSS classes series-0..5). */
export const SERIES_CLASSES = ['series-0', 'series-1', 'series-2', 'series-3', 'series-4', 'series-5'] as const;

/** What the chart draws: the job's runs, the series to plot, and where the time axis ends (now, or the job's end). */
export interface ParallelismChartInput {
  readonly changes: readonly ParallelismChange[];
  readonly series: readonly ParallelismSeries[];
  readonly endTime: number;
  /** Pixels available; the chart is drawn at this size so its text is never scaled. */
  readonly width: number;
}

interface Scales {
  readonly width: number;
  readonly x: (time: number) => number;
  readonly y: (value: number) => number;
  readonly t0: number;
  readonly t1: number;
  readonly yMax: number;
}

/**
 * An SVG step chart of parallelism over time: one line per series that drops to zero while the
 * job was down (shaded), and every run start marked with its cause and downtime.
 */
export function renderParallelismChart(input: ParallelismChartInput): SVGSVGElement {
  const scales = scalesFor(input);
  return s(
    'svg',
    {
      class: 'parallelism-chart',
      width: scales.width,
      height: H,
      viewBox: `0 0 ${scales.width} ${H}`,
      role: 'img',
      'aria-label': 'Parallelism over time',
      'data-testid': 'parallelism-chart-svg',
    },
    axes(scales),
    input.changes.map((change) => downtimeBand(change, scales)),
    input.series.map((series, i) =>
      s('path', { d: stepPath(input, series, scales), class: `series-line ${SERIES_CLASSES[i % SERIES_CLASSES.length]}` }),
    ),
    markers(input.changes, scales),
  );
}

function scalesFor(input: ParallelismChartInput): Scales {
  const first = input.changes[0]!;
  const t1 = Math.max(input.endTime, input.changes.at(-1)!.timestamp);
  // A young job gets a short look-back rather than an empty future, so the line always reaches the right edge.
  const t0 = Math.min(downtimeSpan(first).from, t1 - MIN_SPAN_MS);
  const yMax = Math.max(1, peakParallelism(input.changes));
  const width = Math.min(MAX_W, Math.max(MIN_W, Math.floor(input.width)));
  const plotWidth = width - MARGIN.left - MARGIN.right;
  return {
    width,
    t0,
    t1,
    yMax,
    x: (time) => MARGIN.left + ((time - t0) / (t1 - t0)) * plotWidth,
    y: (value) => MARGIN.top + PLOT_H - (value / yMax) * PLOT_H,
  };
}

function axes(scales: Scales): SVGElement {
  const step = Math.max(1, Math.ceil(scales.yMax / 5));
  const yTicks: number[] = [];
  for (let value = 0; value <= scales.yMax; value += step) yTicks.push(value);
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => scales.t0 + f * (scales.t1 - scales.t0));
  const bottom = MARGIN.top + PLOT_H;
  return s(
    'g',
    { class: 'axes' },
    yTicks.map((value) =>
      s(
        'g',
        {},
        s('line', { x1: MARGIN.left, x2: scales.width - MARGIN.right, y1: scales.y(value), y2: scales.y(value), class: 'grid-line' }),
        s('text', { x: MARGIN.left - 8, y: scales.y(value) + 4, 'text-anchor': 'end', class: 'axis-label' }, value),
      ),
    ),
    xTicks.map((time, i) =>
      s(
        'text',
        {
          x: scales.x(time),
          y: bottom + 20,
          class: 'axis-label',
          'text-anchor': i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle',
        },
        formatClock(time),
      ),
    ),
    s('line', { x1: MARGIN.left, x2: scales.width - MARGIN.right, y1: bottom, y2: bottom, class: 'axis-line' }),
    s(
      'text',
      {
        x: 12,
        y: MARGIN.top + PLOT_H / 2,
        class: 'axis-title',
        transform: `rotate(-90 12 ${MARGIN.top + PLOT_H / 2})`,
        'text-anchor': 'middle',
      },
      'Parallelism',
    ),
  );
}

/** Each run at its parallelism from its first record until the next run's outage began; zero during the outage. */
function stepPath(input: ParallelismChartInput, series: ParallelismSeries, scales: Scales): string {
  const { changes } = input;
  const parts: string[] = [];
  for (let i = 0; i < changes.length; i++) {
    const value = series.values[i];
    const change = changes[i];
    if (value === undefined || change === undefined) continue;
    const next = changes[i + 1];
    const start = processingFrom(change);
    const end = next === undefined ? input.endTime : downtimeSpan(next).from;
    const y = scales.y(value);
    parts.push(`M ${scales.x(start)} ${scales.y(0)} V ${y} H ${scales.x(Math.max(start, end))}`);
    if (next !== undefined) parts.push(`V ${scales.y(0)} H ${scales.x(processingFrom(next))}`);
  }
  return parts.join(' ');
}

/** A run counts as up from its first record (its start when no outage came before). */
function processingFrom(change: ParallelismChange): number {
  return change.downtimeMs > 0 ? Math.max(change.timestamp, downtimeSpan(change).to) : change.timestamp;
}

function downtimeBand(change: ParallelismChange, scales: Scales): SVGElement | false {
  if (change.downtimeMs <= 0) return false;
  const span = downtimeSpan(change);
  const x1 = scales.x(span.from);
  const x2 = scales.x(span.to);
  return s(
    'rect',
    { x: Math.min(x1, x2 - 2), y: MARGIN.top, width: Math.max(2, x2 - x1), height: PLOT_H, class: 'downtime-band' },
    s('title', {}, `Down for ${describeDowntime(change, formatDuration)}`),
  );
}

/** Vertical markers with their labels staggered over a few rows, so close rescales stay readable. */
function markers(changes: readonly ParallelismChange[], scales: Scales): SVGElement {
  const rowEnds = new Array<number>(LABEL_ROWS).fill(-Infinity);
  return s(
    'g',
    { class: 'markers' },
    changes.map((change, i) => {
      const x = scales.x(change.timestamp);
      const label = `${causeLabel(change.cause)}${change.downtimeMs > 0 ? ` · down ${describeDowntime(change, formatDuration)}` : ''}`;
      const width = label.length * 6.4;
      const anchorEnd = x + width > scales.width - MARGIN.right;
      const left = anchorEnd ? x - width : x;
      let row = rowEnds.findIndex((end) => end < left);
      if (row === -1) row = i % LABEL_ROWS;
      rowEnds[row] = left + width + 8;
      const y = 16 + row * 16;
      return s(
        'g',
        { class: `rescale-marker cause-${change.cause}`, 'data-testid': 'rescale-marker', 'data-cause': change.cause },
        s('line', { x1: x, x2: x, y1: y + 4, y2: MARGIN.top + PLOT_H, class: 'marker-line' }),
        s('circle', { cx: x, cy: y + 4, r: 3.5, class: 'marker-dot' }),
        s('text', { x: anchorEnd ? x - 6 : x + 6, y: y + 8, 'text-anchor': anchorEnd ? 'end' : 'start', class: 'marker-label' }, label),
        s('title', {}, `${formatClock(change.timestamp)} ${label}${change.note ? `\n${change.note}` : ''}`),
      );
    }),
  );
}
