// The bodies faults answer with: OpenCode-style NamedErrors on OpenCode routes, OpenAI-style
// `{ error: {...} }` on the fake LLM's.
import type { FaultKind } from './faults.ts';
import { badRequest, HttpError, notFound } from './responses.ts';

export function faultError(
  kind: FaultKind,
  style: 'opencode' | 'openai',
  ctx: { sessionID?: string; path: string; agent: string },
): HttpError | undefined {
  const what = ctx.sessionID ?? ctx.path;
  if (style === 'openai') {
    const e = (status: number, type: string, message: string, code: string | null = null) =>
      new HttpError(status, { error: { message, type, param: null, code } });
    switch (kind) {
      case '404':
        return e(404, 'invalid_request_error', 'The model does not exist', 'model_not_found');
      case '410':
        return e(410, 'invalid_request_error', 'Gone');
      case '422-format':
        return e(422, 'invalid_request_error', 'Unrecognized request argument supplied: format');
      case 'unknown-agent':
        return e(400, 'invalid_request_error', `Unknown agent: ${ctx.agent}`);
      case '500':
        return e(500, 'server_error', 'churnlab: injected server error');
      default:
        return undefined;
    }
  }
  switch (kind) {
    case '404':
      return notFound(ctx.sessionID ? `Session not found: ${ctx.sessionID}` : `Not found: ${ctx.path}`);
    case '410':
      return new HttpError(410, { name: 'GoneError', data: { message: `Gone: ${what}` } });
    case '422-format':
      // What an older server's Zod validator says about the v2 `format` field.
      return new HttpError(422, {
        success: false,
        error: {
          name: 'ZodError',
          message: "Unrecognized key(s) in object: 'format'",
          issues: [{ code: 'unrecognized_keys', keys: ['format'], path: [], message: "Unrecognized key(s) in object: 'format'" }],
        },
      });
    case 'unknown-agent':
      return badRequest(`Agent not found: "${ctx.agent}"`);
    case '500':
      return new HttpError(500, { name: 'UnknownError', data: { message: 'churnlab: injected internal server error' } });
    default:
      return undefined;
  }
}
