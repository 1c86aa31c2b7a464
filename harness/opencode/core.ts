// The parts of one mock, shared by its route groups. Built once by createMockOpenCode.
import type { Accounting } from './accounting.ts';
import type { EventBus } from './bus.ts';
import type { FaultController } from './faults.ts';
import type { IdGenerator } from './ids.ts';
import type { FakeLlm } from './llm.ts';
import type { FillerText, SeededRandom } from './random.ts';
import type { ReplyShape } from './reply.ts';
import type { SseRegistry } from './sse.ts';
import type { MockState } from './state.ts';

export interface MockCore {
  readonly state: MockState;
  readonly bus: EventBus;
  readonly faults: FaultController;
  readonly accounting: Accounting;
  readonly llm: FakeLlm;
  readonly sse: SseRegistry;
  readonly ids: IdGenerator;
  readonly rng: SeededRandom;
  readonly filler: FillerText;
  readonly now: () => number;
  /** Directory used when a request names none (query `directory`, header `x-opencode-directory`). */
  readonly directory: string;
  /** Origin the handlers match ('*': any). */
  readonly origin: string;
  /** Current reply shape (setReplyShape replaces it). */
  shape: ReplyShape;
  /** Prompts being answered, per session: session.abort and restart() stop them. */
  readonly inflight: Map<string, InflightPrompt>;
  /** Directories whose instance has started since the server did (publish.ts bootInstance). */
  readonly bootedDirectories: Set<string>;
}

export interface InflightPrompt {
  /**
   * session.abort ('user': session.error is published at once, as the real server does) or
   * delete ('deleted': nobody is left to tell): the reply ends with MessageAbortedError.
   */
  abort(by: 'user' | 'deleted'): void;
  /** restart(): the reply is left as a killed server leaves it, at once; the caller's connection drops. */
  crash(): void;
}
