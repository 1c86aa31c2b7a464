// The mock's route ids are the real server's OpenAPI operationIds, for the real paths.
import { describe, expect, it } from 'vitest';
import { OPENCODE_ROUTES } from '../../harness/opencode/index.ts';
import { realRoutes } from './openapi.ts';

describe('mock route table', () => {
  it('names every route with the operationId the real server gives the same METHOD and path', () => {
    const real = realRoutes();
    for (const [id, [method, path]] of Object.entries(OPENCODE_ROUTES)) {
      const openapiPath = path.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(real.get(`${method} ${openapiPath}`), `${method} ${openapiPath}`).toBe(id);
    }
  });

  it('covers every route the issue lists', () => {
    expect(Object.keys(OPENCODE_ROUTES).sort()).toEqual(
      [
        'event.subscribe',
        'global.health',
        'session.abort',
        'session.children',
        'session.create',
        'session.delete',
        'session.fork',
        'session.get',
        'session.list',
        'session.message',
        'session.messages',
        'session.prompt',
        'session.prompt_async',
        'session.status',
        'session.summarize',
        'session.update',
      ].sort(),
    );
  });
});
