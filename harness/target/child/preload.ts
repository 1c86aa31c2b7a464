// Loaded with `--import` before main.ts and before any target code: from the first line the
// target runs, time is virtual and only moves when the harness says so.
import { performance } from 'node:perf_hooks';
import { DEFAULTS } from '../../core/defaults.ts';
import { installVirtualClock } from './clock.ts';
import { ENV } from './env.ts';

const raw = process.env[ENV.virtualEpochMs];
const epoch = raw !== undefined && raw !== '' ? Number(raw) : DEFAULTS.virtualEpochMs;
installVirtualClock(Number.isFinite(epoch) ? epoch : DEFAULTS.virtualEpochMs);

// Node's fetch files every request in a process-wide resource-timing buffer that keeps the first
// 250 and drops the rest, so a target that fetches ramps ~135 KB (~0.55 KB an entry) until its
// 250th request and is flat after. Starting the target with that buffer already full skips a
// warm-up that reads as growth; a target that sets its own size still gets it.
performance.setResourceTimingBufferSize(0);
