// report.html is one file that needs nothing else: inline SVG charts with caps and phase
// bands, readable with no samples, one sample, or thousands.
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../harness/report/html.ts';
import { leakReport, leakySamples } from './fixtures.ts';

function svgs(html: string): string[] {
  return html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
}

function polylinePointCounts(svg: string): number[] {
  return [...svg.matchAll(/<polyline class="series" points="([^"]*)"/g)].map((m) => (m[1] ?? '').trim().split(/\s+/).length);
}

describe('renderHtml', () => {
  const html = renderHtml(leakReport(), leakySamples(100));

  it('is a single self-contained file: no scripts, stylesheets, fonts or remote references', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<iframe|<img|@import|url\(\s*['"]?https?:/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  });

  it('draws one inline SVG per chart: heap, RSS, then collections', () => {
    const charts = svgs(html);
    expect(charts).toHaveLength(3);
    expect(charts[0]).toContain('used heap (post-GC, excl. code)');
    expect(charts[1]).toContain('RSS');
    expect(charts[2]).toContain('checkpointStates (Map)');
  });

  it('draws each cap as a labelled dashed line on the chart of its kind', () => {
    const [heap, rss, collections] = svgs(html) as [string, string, string];
    expect(collections).toMatch(/<line class="cap"[^>]*stroke-dasharray/);
    expect(collections).toContain('>stableCache cap 50</text>');
    expect(rss).toMatch(/<line class="cap"[^>]*stroke-dasharray/);
    expect(rss).toContain('>RSS budget 96 MB</text>');
    // 256 MB is far above the heap: marked at the top instead of squashing the data.
    expect(heap).toContain('▲ off chart: heap budget 256 MB');
    expect(heap).not.toContain('RSS budget');
  });

  it('shades every phase as a named background band', () => {
    const memory = svgs(html)[0]!;
    expect(memory.match(/<rect class="phase"/g)).toHaveLength(3);
    for (const name of ['warmup', 'churn', 'drain']) expect(memory).toContain(`>${name}</text>`);
  });

  it('labels axes with units and ticks', () => {
    const memory = svgs(html)[0]!;
    expect(memory).toContain('sessions done');
    expect(memory).toMatch(/>\d+(\.\d+)? MB<\/text>/);
  });

  it('shows the expectations, the diagnosis and the run facts', () => {
    expect(html).toContain('+1.9 KB per session');
    expect(html).toContain('(module scope) checkpointStates → Map (1 012 entries, 408 KB retained)');
    expect(html).toContain('npm run scenario -- checkpoint-churn');
    expect(html).toContain('Test CPU');
  });

  it('escapes text from the run so it cannot inject markup', () => {
    const evil = leakReport({ scenario: { name: '<img src=x onerror=alert(1)>', summary: '', params: {} } });
    const out = renderHtml(evil, []);
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;img src=x');
  });

  it('renders with no samples: charts say there is nothing to draw', () => {
    const out = renderHtml(leakReport(), []);
    const charts = svgs(out);
    expect(charts).toHaveLength(2);
    for (const c of charts) expect(c).toContain('no samples to draw');
  });

  it('renders a single sample as a visible point', () => {
    const out = renderHtml(leakReport(), leakySamples(1));
    expect(svgs(out)[0]).toMatch(/<circle class="series"/);
  });

  it('downsamples 5000 samples for drawing but keeps the highest and lowest values', () => {
    // A flat heap and no RSS, so the spike and the dip alone set the y axis.
    const samples = leakySamples(5000).map(({ rssBytes: _rss, ...s }) => ({ ...s, heapUsedBytes: 10 * 1024 * 1024 }));
    // A one-sample spike and dip that thinning to every n-th point would drop.
    samples[2501]!.heapUsedBytes = 40 * 1024 * 1024;
    samples[2503]!.heapUsedBytes = 1 * 1024 * 1024;
    const memory = svgs(renderHtml(leakReport({ caps: [] }), samples))[0]!;
    const counts = polylinePointCounts(memory);
    expect(counts).toHaveLength(1);
    expect(counts[0]).toBeLessThanOrEqual(1200);
    const heapLine = /<polyline class="series" points="([^"]*)"/.exec(memory)?.[1] ?? '';
    const ys = heapLine.split(' ').map((p) => Number(p.split(',')[1]));
    const [, top, height] = (/<rect x="\d+" y="(\d+)" width="\d+" height="(\d+)" fill="none"/.exec(memory) ?? []).map(Number);
    // The 40 MB spike touches the top of the plot; the 1 MB dip drops to near the bottom.
    expect(Math.min(...ys)).toBeCloseTo(top!, 0);
    expect(Math.max(...ys)).toBeGreaterThan(top! + height! * 0.9);
  });
});
