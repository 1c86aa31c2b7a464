// Server-side SVG line charts for report.html: no script, no fonts, prints as drawn. Series
// against work done, phase bands behind, caps as dashed lines, axes with round ticks.
import type { SeriesPoint, ValueKind } from '../core/types.ts';
import { downsampleMinMax, niceAxis, tickLabel, type Axis } from './chart-math.ts';
import { esc } from './escape.ts';

/** Okabe–Ito: tells series apart for colour-blind readers and in grey print. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
const BAND_FILLS = ['#eef3f9', '#f8f3ea'];

export interface ChartSeries {
  label: string;
  points: SeriesPoint[];
  color?: string;
}

export interface LineChartSpec {
  /** Unique within the page (clip path ids). */
  id: string;
  title: string;
  xLabel: string;
  yKind: ValueKind;
  yLabel: string;
  series: ChartSeries[];
  caps?: { label: string; value: number }[];
  bands?: { name: string; x0: number; x1: number }[];
  width?: number;
  height?: number;
  /** Points kept per series for drawing (min/max envelope preserved). */
  maxBuckets?: number;
}

const r1 = (n: number): string => (Math.round(n * 10) / 10).toString();

type DrawnSeries = ChartSeries & { color: string };
type Cap = { label: string; value: number };

/** The plot area and its scales: what every layer of the chart draws against. */
interface Plot {
  spec: LineChartSpec;
  H: number;
  left: number;
  top: number;
  pw: number;
  ph: number;
  xAxis: Axis;
  yAxis: Axis;
  sx: (x: number) => number;
  sy: (y: number) => number;
}

export function renderLineChart(spec: LineChartSpec): string {
  const W = spec.width ?? 760;
  const H = spec.height ?? 320;
  const series: DrawnSeries[] = spec.series
    .map((s, i) => ({
      ...s,
      color: s.color ?? PALETTE[i % PALETTE.length]!,
      points: s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)),
    }))
    .filter((s) => s.points.length > 0);
  const legendRows = legendLayout(
    series.map((s) => s.label),
    W - 80,
  );
  const left = 68;
  const right = 16;
  const top = 12 + legendRows.length * 16 + 14;
  const bottom = 46;
  const pw = W - left - right;
  const ph = H - top - bottom;
  const out: string[] = [];
  out.push(
    `<svg class="chart" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(spec.title)}" font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="11">`,
    `<title>${esc(spec.title)}</title>`,
    `<defs><clipPath id="${esc(spec.id)}-clip"><rect x="${left}" y="${top}" width="${pw}" height="${ph}"/></clipPath></defs>`,
  );

  const allPoints = series.flatMap((s) => s.points);
  if (allPoints.length === 0) {
    out.push(
      `<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="#fafafa" stroke="#ccc"/>`,
      `<text x="${left + pw / 2}" y="${top + ph / 2}" text-anchor="middle" fill="#777" font-size="13">no samples to draw</text>`,
      '</svg>',
    );
    return out.join('\n');
  }

  const { xAxis, yAxis, onChart, offChart } = chartDomains(spec, allPoints);
  const sx = (x: number) => left + ((x - xAxis.min) / (xAxis.max - xAxis.min)) * pw;
  const sy = (y: number) => top + ph - ((y - yAxis.min) / (yAxis.max - yAxis.min)) * ph;
  const plot: Plot = { spec, H, left, top, pw, ph, xAxis, yAxis, sx, sy };
  drawBands(out, plot);
  drawAxes(out, plot);
  drawSeries(out, plot, series);
  drawCaps(out, plot, onChart, offChart);
  drawLegend(out, left, legendRows, series);
  out.push('</svg>');
  return out.join('\n');
}

/** Domains: work starts at 0; caps count when they are near the data, else they are marked off-chart. */
function chartDomains(spec: LineChartSpec, allPoints: SeriesPoint[]): { xAxis: Axis; yAxis: Axis; onChart: Cap[]; offChart: Cap[] } {
  let xMax = 0;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const p of allPoints) {
    xMax = Math.max(xMax, p.x);
    yMin = Math.min(yMin, p.y);
    yMax = Math.max(yMax, p.y);
  }
  for (const b of spec.bands ?? []) xMax = Math.max(xMax, b.x1);
  const caps = spec.caps ?? [];
  const onChart = caps.filter((c) => c.value <= Math.max(yMax * 2, yMax + 1) && c.value >= Math.min(yMin / 2, yMin - 1));
  const offChart = caps.filter((c) => !onChart.includes(c));
  for (const c of onChart) {
    yMin = Math.min(yMin, c.value);
    yMax = Math.max(yMax, c.value);
  }
  if (spec.yKind !== 'bytes' && yMin >= 0) yMin = 0;
  const xAxis: Axis = niceAxis(0, xMax > 0 ? xMax : 1, 6, 'count', true);
  const yAxis: Axis = niceAxis(yMin, yMax, 5, spec.yKind);
  return { xAxis, yAxis, onChart, offChart };
}

/** Phase bands behind everything; a zero-width phase (no work done in it) still shows as a sliver. */
function drawBands(out: string[], { spec, top, ph, sx }: Plot): void {
  out.push(`<g clip-path="url(#${esc(spec.id)}-clip)">`);
  const bands = spec.bands ?? [];
  bands.forEach((b, i) => {
    const x0 = sx(b.x0);
    const w = Math.max(3, sx(b.x1) - x0);
    out.push(
      `<rect class="phase" x="${r1(x0)}" y="${top}" width="${r1(w)}" height="${ph}" fill="${BAND_FILLS[i % 2]}"><title>${esc(b.name)}</title></rect>`,
    );
    // A name runs into the next band's only if there is room before it starts (the last always fits).
    const next = bands[i + 1];
    const room = next ? sx(next.x0) - x0 : Infinity;
    if (room >= b.name.length * 6 + 8) {
      out.push(`<text class="phase-label" x="${r1(x0 + 4)}" y="${top + 12}" fill="#666" font-size="10">${esc(b.name)}</text>`);
    }
  });
  out.push('</g>');
}

/** Grid and axes. */
function drawAxes(out: string[], { spec, H, left, top, pw, ph, xAxis, yAxis, sx, sy }: Plot): void {
  out.push(`<g class="axes" stroke="#e3e3e3">`);
  for (const t of yAxis.ticks) out.push(`<line x1="${left}" x2="${left + pw}" y1="${r1(sy(t))}" y2="${r1(sy(t))}"/>`);
  out.push('</g>');
  out.push(`<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  for (const t of yAxis.ticks) {
    out.push(`<text x="${left - 6}" y="${r1(sy(t) + 4)}" text-anchor="end" fill="#333">${esc(tickLabel(t, spec.yKind, yAxis))}</text>`);
  }
  for (const t of xAxis.ticks) {
    const x = r1(sx(t));
    out.push(`<line x1="${x}" x2="${x}" y1="${top + ph}" y2="${top + ph + 4}" stroke="#999"/>`);
    out.push(`<text x="${x}" y="${top + ph + 16}" text-anchor="middle" fill="#333">${esc(tickLabel(t, 'count'))}</text>`);
  }
  out.push(`<text x="${left + pw / 2}" y="${H - 8}" text-anchor="middle" fill="#333">${esc(spec.xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${top + ph / 2}) rotate(-90)" text-anchor="middle" fill="#333">${esc(spec.yLabel)}</text>`);
}

function drawSeries(out: string[], { spec, sx, sy }: Plot, series: DrawnSeries[]): void {
  const buckets = spec.maxBuckets ?? 300;
  out.push(`<g clip-path="url(#${esc(spec.id)}-clip)" fill="none" stroke-width="1.6" stroke-linejoin="round">`);
  for (const s of series) {
    const pts = downsampleMinMax(s.points, buckets);
    if (pts.length === 1) {
      const p = pts[0]!;
      out.push(
        `<circle class="series" cx="${r1(sx(p.x))}" cy="${r1(sy(p.y))}" r="3.5" fill="${s.color}" stroke="none"><title>${esc(s.label)}</title></circle>`,
      );
    } else {
      const d = pts.map((p) => `${r1(sx(p.x))},${r1(sy(p.y))}`).join(' ');
      out.push(`<polyline class="series" points="${d}" stroke="${s.color}"><title>${esc(s.label)}</title></polyline>`);
    }
  }
  out.push('</g>');
}

/** Caps: dashed, labelled at the right end (below the line when it runs along the top edge). */
function drawCaps(out: string[], { left, top, pw, sy }: Plot, onChart: Cap[], offChart: Cap[]): void {
  for (const c of onChart) {
    const y = sy(c.value);
    const labelY = y - top < 16 ? y + 13 : y - 4;
    out.push(
      `<line class="cap" x1="${left}" x2="${left + pw}" y1="${r1(y)}" y2="${r1(y)}" stroke="#b00020" stroke-width="1.2" stroke-dasharray="6 4"/>`,
      `<text class="cap-label" x="${left + pw - 4}" y="${r1(labelY)}" text-anchor="end" fill="#b00020" font-size="10">${esc(c.label)}</text>`,
    );
  }
  // Caps far above the data would squash it; they are named above the plot instead.
  if (offChart.length > 0) {
    const text = `▲ off chart: ${offChart.map((c) => c.label).join('; ')}`;
    out.push(`<text class="cap-label" x="${left + pw}" y="${top - 6}" text-anchor="end" fill="#b00020" font-size="10">${esc(text)}</text>`);
  }
}

function drawLegend(out: string[], left: number, legendRows: { index: number; x: number }[][], series: DrawnSeries[]): void {
  legendRows.forEach((row, ri) => {
    for (const item of row) {
      const s = series[item.index]!;
      const y = 12 + ri * 16;
      out.push(
        `<line x1="${left + item.x}" x2="${left + item.x + 16}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="3"/>`,
        `<text x="${left + item.x + 20}" y="${y + 4}" fill="#222">${esc(s.label)}</text>`,
      );
    }
  });
}

/** Place legend items left to right, wrapping rows; widths estimated from label length. */
function legendLayout(labels: string[], width: number): { index: number; x: number }[][] {
  const rows: { index: number; x: number }[][] = [];
  let row: { index: number; x: number }[] = [];
  let x = 0;
  labels.forEach((label, index) => {
    const w = 20 + label.length * 6.2 + 18;
    if (row.length > 0 && x + w > width) {
      rows.push(row);
      row = [];
      x = 0;
    }
    row.push({ index, x });
    x += w;
  });
  if (row.length > 0) rows.push(row);
  return rows;
}
