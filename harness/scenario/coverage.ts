// What a run exercised in its target, read from the host at the end of the workload, and what that
// means for the verdict: a plugin that registered no hooks, or whose hooks were never called, has
// not been tested at all, so such a run can never pass (inconclusive, exit 2). Hooks registered
// but never called, and Bun-only paths, are named in warnings.
import type { Coverage } from '../report/model.ts';
import type { RunVerdict } from '../core/exit.ts';
import { SESSION_HOOKS, type SessionHookName } from '../host/hook-catalog.ts';
import type { BunUse } from '../host/bun.ts';

/** What the host's 'coverage' method answers (plugin host). */
export interface PluginCoverageRaw {
  registered: string[];
  calls: Record<string, number>;
  errors: Record<string, number>;
  bun: BunUse[];
}

/** What the service host's 'coverage' method answers. */
export interface ServiceCoverageRaw {
  requests: number;
  routes: Record<string, { requests: number; errors: number }>;
}

/** The run's shares and reply shape, so a hook never called can be explained. */
export interface RunShape {
  commandShare: number;
  permissionShare: number;
  compactionShare: number;
  untitledShare: number;
  toolCallsPerMessage: number;
  opencode: 'mock' | 'real';
}

type PluginCoverage = Extract<Coverage, { kind: 'plugin' }>;

function reasonFor(hook: string, shape: RunShape): string {
  const entry = SESSION_HOOKS[hook as SessionHookName];
  if (!entry && /^(session|message|permission|command|file|todo|lsp|server|installation|tui|pty|vcs)\./.test(hook)) {
    return `not a hook OpenCode 1.18.33 calls: ${hook} is an event type, delivered through the \`event\` hook`;
  }
  if (!entry) return 'not a hook OpenCode 1.18.33 calls (not among the Hooks of @opencode-ai/plugin)';
  const share = (name: string, value: number, what: string) =>
    value <= 0
      ? `the scenario produces no ${what} (${name}=0)`
      : `OpenCode calls it on ${entry.where}; with ${name}=${value} this run produced none (run more sessions)`;
  switch (entry.needs) {
    case 'commandShare':
      return share('commandShare', shape.commandShare, 'slash commands');
    case 'permissionShare':
      return shape.toolCallsPerMessage <= 0
        ? 'the scenario produces no tool calls, so no permission asks'
        : share('permissionShare', shape.permissionShare, 'permission asks');
    case 'compactionShare':
      return share('compactionShare', shape.compactionShare, 'compactions');
    case 'untitledShare':
      return share('untitledShare', shape.untitledShare, 'untitled sessions, so OpenCode never titles one with its small model');
    case 'bashTools':
    case 'toolCalls':
      return shape.toolCallsPerMessage <= 0
        ? 'the scenario produces no tool calls (its replies have none)'
        : `OpenCode calls it on ${entry.where}; this run produced none`;
    default:
      return `OpenCode calls it on ${entry.where}, but this run never reached it`;
  }
}

/** Errors per hook name ("event:session.idle" counts for "event"). */
function errorsPerHook(errors: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [where, n] of Object.entries(errors)) {
    const hook = where.startsWith('event:') ? 'event' : where;
    out[hook] = (out[hook] ?? 0) + n;
  }
  return out;
}

export function pluginCoverage(raw: PluginCoverageRaw, shape: RunShape): PluginCoverage {
  const calls: Record<string, number> = {};
  for (const hook of raw.registered) calls[hook] = raw.calls[hook] ?? 0;
  const neverCalled = raw.registered.filter((h) => calls[h] === 0).map((hook) => ({ hook, reason: reasonFor(hook, shape) }));
  const called = raw.registered.length - neverCalled.length;
  const warnings: string[] = [];
  let summary: string;
  if (raw.registered.length === 0) {
    summary = 'the plugin registered no hooks: nothing was tested';
    warnings.push(
      'The plugin registered no hooks (did it disable itself at load, e.g. for a missing API key or configuration?): the run tested nothing and cannot pass.',
    );
  } else if (called === 0) {
    summary = `none of the ${raw.registered.length} registered hooks was called: ${raw.registered.join(', ')}`;
    warnings.push(
      `No registered hook was called (${neverCalled.map((n) => `${n.hook}: ${n.reason}`).join('; ')}): the run tested nothing of the plugin and cannot pass.`,
    );
  } else {
    summary = `${called} of ${raw.registered.length} registered hooks called`;
    if (neverCalled.length > 0) {
      summary += `; never called: ${neverCalled.map((n) => n.hook).join(', ')}`;
      warnings.push(
        `Registered hooks never called, so the verdict does not cover them: ${neverCalled.map((n) => `${n.hook} (${n.reason})`).join('; ')}.`,
      );
    }
  }
  const unshimmed = raw.bun.filter((b) => !b.shimmed);
  const shimmed = raw.bun.filter((b) => b.shimmed);
  if (unshimmed.length > 0) {
    warnings.push(
      `The plugin used Bun-only APIs that Node does not have (${unshimmed.map((b) => `${b.api} in ${b.hook} x${b.count}`).join(', ')}): they threw here, so the verdict does not cover the paths that use them.`,
    );
  }
  const notes: string[] = [];
  if (shimmed.length > 0)
    notes.push(
      `Bun APIs run on churnlab's Node shims (same results, not Bun's code): ${[...new Set(shimmed.map((b) => b.api))].join(', ')}.`,
    );
  notes.push(
    shape.opencode === 'real'
      ? "Against the real server the transforms (messages, system, chat.params, chat.headers) are called with real payloads, but their output does not reach the real server's model call."
      : "The output of messages.transform, system.transform, chat.params and chat.headers is what the mock's model call receives.",
  );
  return {
    kind: 'plugin',
    registered: raw.registered,
    calls,
    errors: errorsPerHook(raw.errors),
    neverCalled,
    bun: raw.bun,
    summary,
    warnings,
    notes,
  };
}

export function serviceCoverage(raw: ServiceCoverageRaw): Extract<Coverage, { kind: 'service' }> {
  const routes = Object.keys(raw.routes).length;
  const errors = Object.values(raw.routes).reduce((a, r) => a + r.errors, 0);
  const summary =
    raw.requests === 0
      ? 'the service answered no requests: nothing was tested'
      : `${raw.requests} requests on ${routes} route${routes === 1 ? '' : 's'}${errors > 0 ? `, ${errors} answered with an error (5xx or no answer)` : ''}`;
  const warnings = raw.requests === 0 ? ['The service answered no requests: the run tested nothing of it and cannot pass.'] : [];
  return { kind: 'service', requests: raw.requests, routes: raw.routes, summary, warnings };
}

/** The shares a scenario's parameters set (0 when it has none), for the reasons above. */
export function runShapeOf(
  params: Record<string, unknown>,
  toolCallsPerMessage: number | undefined,
  opencode: 'mock' | 'real' | undefined,
): RunShape {
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    commandShare: n(params.commandShare),
    permissionShare: n(params.permissionShare),
    compactionShare: n(params.compactionShare),
    untitledShare: n(params.untitledShare),
    toolCallsPerMessage: toolCallsPerMessage ?? 0,
    opencode: opencode ?? 'mock',
  };
}

/** The coverage of a plugin or service target, asked of its host after the workload (one IPC call). */
export async function readCoverage(
  target: { call<T>(method: string, params?: unknown): Promise<T> } | undefined,
  kind: string,
  shape: RunShape,
): Promise<Coverage | undefined> {
  if (!target) return undefined;
  if (kind === 'plugin') return pluginCoverage(await target.call<PluginCoverageRaw>('coverage'), shape);
  if (kind === 'service') return serviceCoverage(await target.call<ServiceCoverageRaw>('coverage'));
  return undefined;
}
