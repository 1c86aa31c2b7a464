// A sampling heap profile as the top allocation sites in bytes per unit of work. Pure: the
// profile, what is known about its scripts, and the work done go in; the summary comes out.
import { fileURLToPath } from 'node:url';
import { relative, sep } from 'node:path';
import { SourceMap } from 'node:module';
import { formatRate } from '../core/units.ts';
import type { WorkUnit } from '../core/types.ts';
import type { AllocationSite, FrameOrigin, ProfileMode, ProfileSummary } from './model.ts';
import type { SamplingProfile, SamplingProfileNode, ScriptInfo } from './sampling.ts';

export interface SummaryInput {
  profile: SamplingProfile;
  scripts: Map<string, ScriptInfo>;
  mode: ProfileMode;
  samplingIntervalBytes: number;
  unit: WorkUnit;
  unitsProfiled: number;
  phases: string[];
  /** churnlab's own harness/ directory: frames there are ours (host, child runtime). */
  harnessDir: string;
  /** Where the user's files are shown relative to (their repository, or the target's dir). */
  userRoot: string;
  file: string;
  topN: number;
}

export function classifyFrame(path: string, harnessDir: string): FrameOrigin {
  if (path === '' || path.startsWith('node:')) return 'node';
  if (path.startsWith(harnessDir.endsWith(sep) ? harnessDir : harnessDir + sep)) return 'harness';
  if (path.split(/[\\/]/).includes('node_modules')) return 'dependency';
  return 'user';
}

function toPath(url: string): string {
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch {
      return url;
    }
  }
  return url;
}

/** Source maps of scripts, decoded once; only inline (data:) maps, as tsx writes them. */
function sourceMapOf(info: ScriptInfo | undefined, cache: Map<string, SourceMap | null>): SourceMap | undefined {
  const url = info?.sourceMapURL;
  if (!url || !url.startsWith('data:')) return undefined;
  let map = cache.get(url);
  if (map === undefined) {
    try {
      const comma = url.indexOf(',');
      const isBase64 = url.slice(0, comma).endsWith(';base64');
      const body = url.slice(comma + 1);
      const text = isBase64 ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body);
      map = new SourceMap(JSON.parse(text));
    } catch {
      map = null;
    }
    cache.set(url, map);
  }
  return map ?? undefined;
}

interface Site {
  functionName: string;
  path: string;
  line: number;
  origin: FrameOrigin;
  selfBytes: number;
  samples: number;
  via: string[];
}

export function summarizeProfile(input: SummaryInput): ProfileSummary {
  const sites = attributeSites(input);
  const all = [...sites.values()].filter((s) => s.selfBytes > 0).sort((a, b) => b.selfBytes - a.selfBytes);
  const totalBytes = all.reduce((a, s) => a + s.selfBytes, 0);
  const harnessBytes = all.filter((s) => s.origin === 'harness').reduce((a, s) => a + s.selfBytes, 0);
  const units = input.unitsProfiled;
  const perUnit = (bytes: number) => (units > 0 ? bytes / units : 0);
  const show = (s: Site): AllocationSite => showSite(input, s, perUnit(s.selfBytes));
  return {
    status: 'profiled',
    mode: input.mode,
    samplingIntervalBytes: input.samplingIntervalBytes,
    phases: input.phases,
    unit: input.unit,
    unitsProfiled: units,
    totalBytes,
    bytesPerUnit: perUnit(totalBytes - harnessBytes),
    topSites: all
      .filter((s) => s.origin !== 'harness')
      .slice(0, input.topN)
      .map(show),
    topUserSites: all
      .filter((s) => s.origin === 'user')
      .slice(0, input.topN)
      .map(show),
    harnessBytes,
    file: input.file,
    notes: profileNotes(input, perUnit(harnessBytes), harnessBytes),
  };
}

/** Every node's bytes and samples added to its allocation site (function + source line). */
function attributeSites(input: SummaryInput): Map<string, Site> {
  const maps = new Map<string, SourceMap | null>();
  const sites = new Map<string, Site>();
  const siteOfNode = new Map<number, Site>();
  const stack: { node: SamplingProfileNode; caller?: Site }[] = [{ node: input.profile.head }];
  // Iterative walk: allocation trees of deep recursion would overflow a recursive one.
  while (stack.length > 0) {
    const { node, caller } = stack.pop()!;
    const frame = node.callFrame;
    // V8 builtins (new Set, Map.prototype.set, Array.prototype.push) have no script: what they
    // allocate is the calling function's doing, so it is counted there, "via" the builtin.
    if (!frame.url && frame.scriptId === '0' && caller && !frame.functionName.startsWith('(')) {
      caller.selfBytes += node.selfSize;
      if (node.selfSize > 0 && !caller.via.includes(frame.functionName)) caller.via.push(frame.functionName);
      siteOfNode.set(node.id, caller);
      for (const child of node.children) stack.push({ node: child, caller });
      continue;
    }
    const site = siteOf(input, frame, maps, sites);
    site.selfBytes += node.selfSize;
    siteOfNode.set(node.id, site);
    for (const child of node.children) stack.push({ node: child, caller: site });
  }
  for (const s of input.profile.samples) {
    const site = siteOfNode.get(s.nodeId);
    if (site) site.samples += 1;
  }
  return sites;
}

/** The site of a script frame, at its source-mapped path and line, created on first sight. */
function siteOf(
  input: SummaryInput,
  frame: SamplingProfileNode['callFrame'],
  maps: Map<string, SourceMap | null>,
  sites: Map<string, Site>,
): Site {
  const script = input.scripts.get(frame.scriptId);
  let path = toPath(script?.url || frame.url);
  let line = frame.lineNumber + 1;
  const map = sourceMapOf(script, maps);
  if (map) {
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number };
    if (typeof entry.originalLine === 'number') {
      line = entry.originalLine + 1;
      if (entry.originalSource) path = toPath(entry.originalSource);
    }
  }
  // Code without a URL but with a script id was evaluated over CDP: the harness's census.
  const origin = !path && frame.scriptId !== '0' ? 'harness' : classifyFrame(path, input.harnessDir);
  const functionName = frame.functionName || '(anonymous)';
  const key = `${origin}\u0000${functionName}\u0000${path}\u0000${line}`;
  let site = sites.get(key);
  if (!site) sites.set(key, (site = { functionName, path, line, origin, selfBytes: 0, samples: 0, via: [] }));
  return site;
}

function showSite(input: SummaryInput, s: Site, bytesPerUnit: number): AllocationSite {
  const rel = relative(input.userRoot, s.path);
  const file =
    s.origin === 'user' && rel && !rel.startsWith('..')
      ? rel
      : s.origin === 'harness'
        ? s.path
          ? `harness/${relative(input.harnessDir, s.path)}`
          : '(evaluated over CDP)'
        : s.path || '(native)';
  return {
    functionName: s.functionName,
    file,
    line: s.line,
    origin: s.origin,
    selfBytes: s.selfBytes,
    bytesPerUnit,
    perUnitText: formatRate(bytesPerUnit, 'bytes', input.unit),
    samples: s.samples,
    ...(s.via.length > 0 ? { via: s.via } : {}),
  };
}

function profileNotes(input: SummaryInput, harnessPerUnit: number, harnessBytes: number): string[] {
  const notes: string[] = [];
  if (!(input.unitsProfiled > 0)) notes.push(`No ${input.unit} was done while the profiler ran: figures per ${input.unit} are 0.`);
  if (input.mode === 'retained') {
    notes.push(
      'Retained mode: only allocations still alive after a full GC at the end of the profiled phases are counted (who allocates what stays).',
    );
  } else {
    notes.push('All-allocations mode: every sampled allocation counts, garbage included (who allocates, not who leaks).');
  }
  notes.push(
    `Lines are where the allocating function starts. Sampling every ${input.samplingIntervalBytes} bytes on average: a site with few samples is a rough figure.`,
  );
  if (harnessBytes > 0)
    notes.push(
      `The harness's own frames in the target (harness/host, harness/target/child) allocated ${Math.round(harnessPerUnit)} B per ${input.unit}; left out of the tables.`,
    );
  return notes;
}
