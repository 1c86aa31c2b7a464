// V8's sampling heap profiler in the target, over CDP (HeapProfiler.startSampling/stopSampling).
// The profile is the DevTools `.heapprofile` JSON as is: Chrome DevTools (Memory tab, "Load")
// and speedscope open it.
import type { CdpSession } from '../wire/cdp.ts';
import type { ProfileMode } from './model.ts';

/** The shape of CDP's HeapProfiler.SamplingHeapProfile (what a .heapprofile file holds). */
export interface SamplingProfileNode {
  callFrame: { functionName: string; scriptId: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  id: number;
  children: SamplingProfileNode[];
}
export interface SamplingProfile {
  head: SamplingProfileNode;
  samples: { size: number; nodeId: number; ordinal: number }[];
}

export interface SamplingOptions {
  mode: ProfileMode;
  samplingIntervalBytes: number;
}

export interface RunningProfile {
  /** Full GC first (retained mode), then stop: the profile keeps only what is still alive. */
  stop(): Promise<SamplingProfile>;
}

export async function startSampling(cdp: CdpSession, options: SamplingOptions): Promise<RunningProfile> {
  await cdp.send('HeapProfiler.enable');
  const all = options.mode === 'all';
  await cdp.send('HeapProfiler.startSampling', {
    samplingInterval: options.samplingIntervalBytes,
    // Off (retained): V8 drops the sample of an object once a GC frees it, so the profile at
    // stop is "who allocated what is still alive". On (all): every sampled allocation stays.
    includeObjectsCollectedByMajorGC: all,
    includeObjectsCollectedByMinorGC: all,
  });
  return {
    async stop() {
      if (!all) await cdp.send('HeapProfiler.collectGarbage');
      const { profile } = await cdp.send<{ profile: SamplingProfile }>('HeapProfiler.stopSampling');
      return profile;
    },
  };
}

export interface ScriptInfo {
  url: string;
  sourceMapURL?: string;
}

/**
 * The scripts the target has parsed (url and source map URL by scriptId), read by enabling the
 * debugger for a moment: scriptParsed is replayed for every script on enable. tsx compiles
 * TypeScript with inline source maps, so lines can be mapped back to the .ts source.
 */
export async function parsedScripts(cdp: CdpSession, wanted: Set<string>): Promise<Map<string, ScriptInfo>> {
  const scripts = new Map<string, ScriptInfo>();
  const onParsed = (p: { scriptId: string; url: string; sourceMapURL?: string }) => {
    if (wanted.has(p.scriptId)) scripts.set(p.scriptId, { url: p.url, ...(p.sourceMapURL ? { sourceMapURL: p.sourceMapURL } : {}) });
  };
  cdp.on('Debugger.scriptParsed', onParsed);
  try {
    await cdp.send('Debugger.enable');
    await cdp.send('Debugger.disable');
  } finally {
    cdp.off('Debugger.scriptParsed', onParsed);
  }
  return scripts;
}
