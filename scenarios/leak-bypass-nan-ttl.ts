// Seed leak 1, the TTL guard (docs/seed-leaks.md): the daemon is configured with a TTL that is
// not a number. A daemon reads it from its config as text and Number()s it, so the option is the
// string 'NaN' (the harness hands serviceOptions to the target as JSON, where a NaN number would
// arrive as null, i.e. "unset"). The leaky guard (`ttlMs ?? default`) keeps NaN, and
// `now + NaN <= now` is never true: claims of user sessions never expire either, on top of the
// bypass entries. The fixed guard falls back to 4 h and stays bounded. Same workload and figures
// as leak-bypass-rotation.
import { defineScenario } from '../harness/scenario/define.ts';
import rotation, { type BypassParams } from './leak-bypass-rotation.ts';

export default defineScenario<BypassParams>({
  ...rotation,
  name: 'leak-bypass-nan-ttl',
  summary: 'A bypass TTL configured as NaN must fall back to 4 h, not mean "never expires".',
  serviceOptions: { ttlMs: 'NaN' },
});
