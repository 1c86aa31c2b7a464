import { describe, expect, it } from 'vitest';
import { LOAD_DEFAULTS } from '../../harness/core/defaults.ts';
import { resolveLoadOptions } from '../../harness/load/options.ts';
import { BadInputError } from '../../harness/scenario/target-spec.ts';

describe('load options', () => {
  it('fills the defaults from one place, both caps always set', () => {
    const o = resolveLoadOptions({});
    expect(o.durationMs).toBe(LOAD_DEFAULTS.durationMs);
    expect(o.maxRequests).toBe(LOAD_DEFAULTS.maxRequests);
    expect(o.profile).toBe('daemon');
    expect(resolveLoadOptions({ maxRequests: undefined, connections: 4 }).maxRequests).toBe(LOAD_DEFAULTS.maxRequests);
    // The OpenCode API profile has its own pace of virtual time, unless one is given.
    expect(resolveLoadOptions({ profile: 'opencode-api' }).virtualMsPerRequest).toBe(LOAD_DEFAULTS.opencodeApiVirtualMsPerRequest);
    expect(resolveLoadOptions({ profile: 'opencode-api', virtualMsPerRequest: 50 }).virtualMsPerRequest).toBe(50);
  });

  it.each([
    [{ durationMs: 0 }, /--duration-s 0: expected a number of seconds from 1 to 3600/],
    [{ maxRequests: 12.5 }, /--max-requests 12.5: expected a whole number >= 100/],
    [{ connections: 0 }, /--connections 0: expected a whole number from 1 to 1000/],
    [{ connections: 500, maxRequests: 200 }, /--max-requests 200: expected at least as many requests as connections \(500\)/],
    [{ sessions: -1 }, /--sessions -1/],
    [{ samples: 5 }, /--samples 5: expected a whole number from 12 to 1000/],
    [{ profile: 'grpc' as never }, /--profile grpc: expected one of hooks, daemon, opencode-api/],
    [{ serviceOptions: [] as never }, /--scenario-options: expected a JSON object/],
  ])('rejects %j with an error naming the option and what it expects', (input, message) => {
    expect(() => resolveLoadOptions(input)).toThrow(BadInputError);
    expect(() => resolveLoadOptions(input)).toThrow(message);
  });
});
