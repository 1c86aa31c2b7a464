// The options of one load run, checked: bad input gets an error that names the option and says
// what was expected (exit code 3 from the CLI).
import type { LaunchOptions } from '../target/launch.ts';
import type { Progress } from '../scenario/run.ts';
import { BadInputError } from '../scenario/target-spec.ts';
import { DEFAULTS } from '../core/defaults.ts';
import { LOAD_DEFAULTS } from '../core/defaults.ts';
import { PROFILES, type ProfileName } from './profiles.ts';

export interface LoadOptions {
  /** Service module: path or package name; the profile's default target when absent. */
  target?: string;
  profile: ProfileName;
  durationMs: number;
  maxRequests: number;
  connections: number;
  /** Live session ids in the rotating pool. */
  sessions: number;
  newSessionEveryRequests: number;
  cleanEndShare: number;
  virtualMsPerRequest: number;
  samples: number;
  windows: number;
  warmupShare: number;
  workEveryRequests: number;
  rotateEveryJobs: number;
  minHeapBytesPerRequest: number;
  /** A request not answered within this many seconds is a timeout (autocannon's minimum is 1). */
  requestTimeoutS: number;
  /** Largest share of requests that may fail unexpectedly (non-2xx the profile did not plan, timeouts, resets); 0: none. */
  maxUnexpectedErrorRate: number;
  /** Priming rounds (clock advance + sample) before any load; see DEFAULTS.primeSamples. */
  primeSamples: number;
  seed: number;
  /** Handed to the service's start() (TTLs, caps), e.g. { ttlMs: 1_200_000 }. */
  serviceOptions: Record<string, unknown>;
  /** Root under which reports/load-<profile>/<run-id>/ is created. */
  outRoot?: string;
  /** Heap snapshot and retainer paths on a leak (default true). */
  diagnose: boolean;
  commandLine?: string;
  onProgress?(progress: Progress): void;
  launch?: Partial<Pick<LaunchOptions, 'startTimeoutMs' | 'callTimeoutMs' | 'runTimeoutMs' | 'execArgv' | 'env'>>;
  /** Aborted by an interrupt: the load stops, the requests so far are judged (see RunOptions.signal). */
  signal?: AbortSignal;
}

function check(name: string, value: number, ok: boolean, expected: string): void {
  if (!ok) throw new BadInputError(`${name} ${value}: expected ${expected}`);
}

const wholeAtLeast = (name: string, v: number, min: number) => check(name, v, Number.isInteger(v) && v >= min, `a whole number >= ${min}`);

/** Defaults filled in, every figure checked. */
export function resolveLoadOptions(input: Partial<LoadOptions> = {}): LoadOptions {
  const o = withLoadDefaults(input);
  checkLoadOptions(o);
  return o;
}

/** The options given (an undefined one counts as not given), the defaults for the rest. */
function withLoadDefaults(input: Partial<LoadOptions>): LoadOptions {
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<LoadOptions>;
  const o: LoadOptions = {
    profile: 'daemon',
    durationMs: LOAD_DEFAULTS.durationMs,
    maxRequests: LOAD_DEFAULTS.maxRequests,
    connections: LOAD_DEFAULTS.connections,
    sessions: LOAD_DEFAULTS.sessions,
    newSessionEveryRequests: LOAD_DEFAULTS.newSessionEveryRequests,
    cleanEndShare: LOAD_DEFAULTS.cleanEndShare,
    virtualMsPerRequest: LOAD_DEFAULTS.virtualMsPerRequest,
    samples: LOAD_DEFAULTS.samples,
    windows: LOAD_DEFAULTS.windows,
    warmupShare: LOAD_DEFAULTS.warmupShare,
    workEveryRequests: LOAD_DEFAULTS.workEveryRequests,
    rotateEveryJobs: LOAD_DEFAULTS.rotateEveryJobs,
    minHeapBytesPerRequest: LOAD_DEFAULTS.minHeapBytesPerRequest,
    requestTimeoutS: LOAD_DEFAULTS.requestTimeoutS,
    maxUnexpectedErrorRate: LOAD_DEFAULTS.maxUnexpectedErrorRate,
    primeSamples: DEFAULTS.primeSamples,
    seed: LOAD_DEFAULTS.seed,
    serviceOptions: {},
    diagnose: true,
    ...defined,
  };
  if (defined.virtualMsPerRequest === undefined && o.profile === 'opencode-api')
    o.virtualMsPerRequest = LOAD_DEFAULTS.opencodeApiVirtualMsPerRequest;
  return o;
}

/** Every figure in its range; the first one out of range is the error. */
function checkLoadOptions(o: LoadOptions): void {
  if (!PROFILES.includes(o.profile)) throw new BadInputError(`--profile ${String(o.profile)}: expected one of ${PROFILES.join(', ')}`);
  check(
    '--duration-s',
    o.durationMs / 1000,
    Number.isFinite(o.durationMs) && o.durationMs >= 1000 && o.durationMs <= 3_600_000,
    'a number of seconds from 1 to 3600',
  );
  wholeAtLeast('--max-requests', o.maxRequests, 100);
  check(
    '--connections',
    o.connections,
    Number.isInteger(o.connections) && o.connections >= 1 && o.connections <= 1000,
    'a whole number from 1 to 1000',
  );
  check('--max-requests', o.maxRequests, o.maxRequests >= o.connections, `at least as many requests as connections (${o.connections})`);
  wholeAtLeast('--sessions', o.sessions, 1);
  wholeAtLeast('--new-session-every', o.newSessionEveryRequests, 1);
  check('--clean-end-share', o.cleanEndShare, o.cleanEndShare >= 0 && o.cleanEndShare <= 1, 'a number from 0 to 1');
  check(
    '--virtual-ms-per-request',
    o.virtualMsPerRequest,
    Number.isFinite(o.virtualMsPerRequest) && o.virtualMsPerRequest >= 0,
    'a number of ms >= 0',
  );
  check(
    '--samples',
    o.samples,
    Number.isInteger(o.samples) && o.samples >= 12 && o.samples <= 1000,
    'a whole number from 12 to 1000 (the verdict needs >= 10 after warm-up)',
  );
  check('--windows', o.windows, Number.isInteger(o.windows) && o.windows >= 1 && o.windows <= 100, 'a whole number from 1 to 100');
  check('warmupShare', o.warmupShare, o.warmupShare >= 0 && o.warmupShare < 1, 'a number in [0, 1)');
  wholeAtLeast('--work-every', o.workEveryRequests, 3);
  wholeAtLeast('--rotate-every', o.rotateEveryJobs, 1);
  check('--min-heap-bytes-per-request', o.minHeapBytesPerRequest, o.minHeapBytesPerRequest > 0, 'a number of bytes > 0');
  wholeAtLeast('primeSamples', o.primeSamples, 0);
  check(
    '--request-timeout-s',
    o.requestTimeoutS,
    Number.isInteger(o.requestTimeoutS) && o.requestTimeoutS >= 1 && o.requestTimeoutS <= 600,
    'a whole number of seconds from 1 to 600',
  );
  check(
    '--max-error-rate',
    o.maxUnexpectedErrorRate,
    o.maxUnexpectedErrorRate >= 0 && o.maxUnexpectedErrorRate <= 1,
    'a share from 0 to 1 (0: no unexpected error allowed)',
  );
  check('--seed', o.seed, Number.isInteger(o.seed), 'a whole number');
  if (typeof o.serviceOptions !== 'object' || o.serviceOptions === null || Array.isArray(o.serviceOptions)) {
    throw new BadInputError(`--scenario-options: expected a JSON object, got ${JSON.stringify(o.serviceOptions)}`);
  }
}
