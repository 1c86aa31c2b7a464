// Shared shapes that every layer speaks. No I/O here: this file is imported by the pure verdict
// engine, by the observers in the harness process, and by the report writers.

/** What one step of work is called in figures: "+1.9 KB per session". */
export type WorkUnit = 'session' | 'message' | 'tool call' | 'cycle' | 'request' | 'unit';

/** The kind of quantity a metric measures; decides formatting and noise handling. */
export type ValueKind = 'bytes' | 'entries' | 'handles' | 'calls' | 'count';

/** One live Map or Set seen by the census, identified stably across samples. */
export interface CollectionStat {
  /** Stable across samples of one run: the V8 heap snapshot object id ("@12345"). */
  id: string;
  kind: 'Map' | 'Set' | 'Array';
  size: number;
  /** Human name when one was found: "checkpointStates" (a variable), "Gateway.sessions" (a property). */
  name?: string;
  /** How the name was found: a closure scope variable, an object property path, or nothing. */
  nameSource?: 'scope' | 'property' | 'probe';
}

/** Active handles of the target, from inside it over IPC (process.getActiveResourcesInfo + clock). */
export interface HandleStat {
  /** Resource type -> count, for resources that keep the event loop alive. */
  refed: Record<string, number>;
  /** Timers (fake or real) that are unref'd and so do not keep the process alive. */
  unrefedTimers: number;
  /** Timers that are ref'd (keep the process alive). */
  refedTimers: number;
}

/** One observation of the target, streamed to samples.ndjson as it is taken. */
export interface Sample {
  seq: number;
  /** Wall-clock ms since the run started (harness clock). */
  wallMs: number;
  /** The target's virtual clock, ms since its epoch. */
  virtualMs: number;
  /** The scenario phase the sample belongs to ("warmup", "churn", "drain"). */
  phase: string;
  /** Cumulative work done so far, by unit: { session: 1200, message: 9600, 'tool call': 19200 }. */
  work: Partial<Record<WorkUnit, number>>;
  /**
   * Used JS heap after a full GC, from CDP (HeapProfiler.collectGarbage + Runtime.getHeapUsage).
   * Absent when the target is observed by RSS from /proc only (a plain command: no inspector).
   */
  heapUsedBytes?: number;
  heapTotalBytes?: number;
  /** Resident set size from /proc/<pid>/status (outside the target). */
  /**
   * Compiled code and bytecode inside heapUsedBytes, with their metadata (V8's
   * getHeapCodeStatistics). V8 tiers up functions as they run hot, the harness's own paths in
   * the target among them, and flushes bytecode it has not run for a while, so this moves in
   * steps of KB for a long time; data never lives here, so verdicts judge heapUsedBytes - codeBytes.
   */
  codeBytes?: number;
  rssBytes?: number;
  externalBytes?: number;
  arrayBuffersBytes?: number;
  /** Census: the largest / fastest-growing collections (top N), not every Map in the heap. */
  collections?: CollectionStat[];
  handles?: HandleStat;
  /** Free-form exact counters: mock accounting (calls per route), target probes, hook errors. */
  counters?: Record<string, number>;
  /** How long taking this sample cost, ms (for overhead figures; never fed to verdicts). */
  costMs?: number;
}

/** A point of a metric against work done. */
export interface SeriesPoint {
  /** Work units done when the point was taken. */
  x: number;
  /** Metric value (bytes, entries, ...). */
  y: number;
}

export type Verdict = 'bounded' | 'leak' | 'inconclusive';

/** A series that rises and is trimmed back again and again (slopePerUnit is then its troughs'). */
export interface SawtoothShape {
  floor: number;
  ceiling: number;
  drops: number;
  /** Growth of the troughs per work unit (Theil–Sen over the running minima after each drop). */
  floorPerUnit: number;
}

/** The verdict engine's answer for one metric. */
export interface MetricVerdict {
  /** "heapUsedBytes", "collection:@123", "handles.refedTimers", "calls:session.messages". */
  metric: string;
  /** Display name: "used heap (post-GC)", "Map checkpointStates". */
  label: string;
  unit: WorkUnit;
  valueKind: ValueKind;
  verdict: Verdict;
  /** Growth per work unit after warm-up (robust slope), in valueKind units. */
  slopePerUnit: number;
  /** ~95 % interval of slopePerUnit. */
  slopeInterval: [number, number];
  /** Points used after warm-up was discarded, and how many were discarded. */
  pointsUsed: number;
  pointsDiscarded: number;
  /** Last / max observed value, for caps. */
  lastValue: number;
  maxValue: number;
  /** Why this verdict, in sentences a person reads. Never empty. */
  reasons: string[];
  /** Things that weaken trust (noisy series, few points) without changing the verdict. */
  warnings: string[];
  /** For inconclusive: what to run instead ("run at least 3000 sessions so the cap of 2000 is passed"). */
  suggestion?: string;
  /** Saturation / shape classification, for the report. */
  shape: 'flat' | 'linear' | 'saturating' | 'still-filling' | 'noisy' | 'step' | 'sawtooth';
  /** Work covered by the analysed window (after warm-up); absent when too few points. */
  span?: number;
  /** The effect-size floors the verdict was held to. */
  floors?: { minSlopePerUnit: number; minTotalGrowth: number };
  /** For shape 'sawtooth' (periodic trims): the lowest trough, the highest peak, how many drops. */
  sawtooth?: SawtoothShape;
}
