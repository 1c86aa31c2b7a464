// Loaded with `--import` before main.ts and before any target code: from the first line the
// target runs, time is virtual and only moves when the harness says so.
import { DEFAULTS } from '../../core/defaults.ts';
import { installVirtualClock } from './clock.ts';
import { ENV } from './env.ts';

const raw = process.env[ENV.virtualEpochMs];
const epoch = raw !== undefined && raw !== '' ? Number(raw) : DEFAULTS.virtualEpochMs;
installVirtualClock(Number.isFinite(epoch) ? epoch : DEFAULTS.virtualEpochMs);
