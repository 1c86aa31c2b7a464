import { describe, expect, it } from 'vitest';
import { pluginsOf } from '../../harness/host/load-plugin.ts';
import { endsCleanly } from '../../harness/host/plugin-host.ts';

const plugin = async () => ({});
const other = async () => ({});

describe('loading plugin modules the way OpenCode does', () => {
  it('counts a default export that is also a named export once', () => {
    const { plugins } = pluginsOf({ default: plugin, MyPlugin: plugin, Other: other });
    expect(plugins.map((p) => p.name)).toEqual(['default', 'Other']);
  });

  it('takes a { server } plugin module from the default export or the module itself', () => {
    expect(pluginsOf({ default: { id: 'x', server: plugin } }).plugins).toHaveLength(1);
    expect(pluginsOf({ server: plugin, id: 'x' }).plugins.map((p) => p.plugin)).toEqual([plugin]);
  });

  it('skips non-function exports instead of crashing, and names them', () => {
    const { plugins, skipped } = pluginsOf({ VERSION: '1.0', Plugin: plugin });
    expect(plugins).toHaveLength(1);
    expect(skipped).toEqual(['VERSION']);
  });
});

describe('choosing which sessions end cleanly', () => {
  it('spreads the clean share evenly and deterministically over session indices', () => {
    const clean = Array.from({ length: 10_000 }, (_, i) => endsCleanly(i, 0.1)).filter(Boolean).length;
    expect(clean).toBeGreaterThan(900);
    expect(clean).toBeLessThan(1100);
    expect(endsCleanly(7, 0.1)).toBe(endsCleanly(7, 0.1));
  });

  it('honours the extremes: none and all', () => {
    expect(Array.from({ length: 100 }, (_, i) => endsCleanly(i, 0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, (_, i) => endsCleanly(i, 1)).every(Boolean)).toBe(true);
  });
});
