// Step 2, launch: the OpenCode the target talks to (mock or real), then the target as its plan
// says (a Node module in a host, a plain command, or the real server itself) with the sampler
// that observes it. Also the two ways a run ends its processes: at once on an interrupt, and in
// order at the end of every run.
import { join } from 'node:path';
import { DEFAULTS } from '../../core/defaults.ts';
import { throwIfInterrupted } from '../../core/interrupt.ts';
import { createProcSampler } from '../../observe/proc-sampler.ts';
import { createSampler, type Sampler } from '../../observe/sampler.ts';
import { serverAsTarget } from '../../opencode-real/observed.ts';
import { hostOptionsFor, launchOptionsFor, REAL_MODE_NOTE, startBackend } from '../../opencode-real/select.ts';
import { launchCommand, type CommandTarget } from '../../target/command.ts';
import { launchTarget, type LaunchOptions, type TargetProcess } from '../../target/launch.ts';
import type { LaunchPlan, OpenCodeChoice, RunState, TargetPlan } from './kind.ts';

/** Start what the plan names; each part is recorded in `run` as soon as it is up, so a failure stops it. */
export async function launch(run: RunState, plan: LaunchPlan): Promise<void> {
  const openCodeOptions = await startOpenCode(run, plan.opencode);
  const target = plan.target;
  if (target.by === 'opencode-server') return observeServer(run);
  if (target.by === 'command') return launchAsCommand(run, target, openCodeOptions);
  return launchNode(run, target, openCodeOptions);
}

/** The host options that tell a target where its OpenCode is. */
async function startOpenCode(run: RunState, choice: OpenCodeChoice | undefined): Promise<Record<string, unknown>> {
  if (!choice) return {};
  const backend = await startBackend(choice.mode, {
    seed: choice.seed,
    reply: choice.reply,
    runDir: join(run.dir, 'opencode'),
    log: choice.log,
  });
  run.backend = backend;
  if (backend.mode === 'real') choice.log?.(`churnlab: ${REAL_MODE_NOTE}`);
  return { opencodeUrl: backend.url, opencodeMode: backend.mode, ...hostOptionsFor(backend) };
}

function observeServer(run: RunState): void {
  const server = run.backend;
  if (!server) throw new Error('the OpenCode server is the target, but no OpenCode was started');
  run.observed = { by: 'opencode-server' };
  run.sampler = createProcSampler({ pid: () => server.pid });
  run.driven = serverAsTarget();
}

async function launchAsCommand(
  run: RunState,
  plan: Extract<TargetPlan, { by: 'command' }>,
  openCodeOptions: Record<string, unknown>,
): Promise<void> {
  const { opencodeUrl, ...options } = { ...plan.options, ...openCodeOptions };
  const command = await launchCommand({
    command: plan.command,
    cwd: plan.cwd,
    options,
    opencodeUrl: opencodeUrl as string | undefined,
    env: plan.tuning?.env,
    startTimeoutMs: plan.tuning?.startTimeoutMs,
    callTimeoutMs: plan.tuning?.callTimeoutMs,
  });
  run.observed = { by: 'command', command };
  const pid = command.pid;
  run.sampler = createProcSampler({ pid: () => pid });
  run.driven = command;
  run.serviceUrl = command.url;
}

async function launchNode(
  run: RunState,
  plan: Extract<TargetPlan, { by: 'node' }>,
  openCodeOptions: Record<string, unknown>,
): Promise<void> {
  const options: LaunchOptions = {
    host: plan.host,
    target: plan.path,
    options: { ...plan.options, ...openCodeOptions },
    cwd: process.cwd(),
    ...launchOptionsFor(run.backend),
    ...plan.tuning,
    // A run that may do more than its nominal work (a sequential run, a hold) lives longer.
    runTimeoutMs: (plan.tuning?.runTimeoutMs ?? DEFAULTS.targetRunTimeoutMs) * plan.runTimeoutScale + plan.extraLifeMs,
  };
  const target = await launchTarget(options);
  run.observed = { by: 'node', target, options };
  run.sampler = createSampler(target, { census: true, handles: true });
  run.driven = target;
  run.serviceUrl = plan.host === 'service' ? (target.hostInfo as { url?: string } | undefined)?.url : undefined;
}

/** run.restartTarget(): a new process of the same Node target, sampled afresh. */
export async function relaunch(run: RunState, signal: AbortSignal | undefined): Promise<{ target: TargetProcess; sampler: Sampler }> {
  const observed = run.observed;
  if (observed?.by !== 'node') throw new Error('restartTarget: only a Node target that churnlab starts can be relaunched');
  await run.sampler?.dispose().catch(() => undefined);
  await observed.target.stop();
  throwIfInterrupted(signal);
  const target = await launchTarget(observed.options);
  run.observed = { ...observed, target };
  throwIfInterrupted(signal);
  const sampler = createSampler(target, { census: true, handles: true });
  run.sampler = sampler;
  return { target, sampler };
}

/** The Node target the run observes now (a relaunch replaces it), if it has one. */
export function nodeTarget(run: RunState): TargetProcess | undefined {
  return run.observed?.by === 'node' ? run.observed.target : undefined;
}

export function commandTarget(run: RunState): CommandTarget | undefined {
  return run.observed?.by === 'command' ? run.observed.command : undefined;
}

/** The end of the target's stderr, for an error that has none of its own. */
export function stderrTailOf(run: RunState): string | undefined {
  return (nodeTarget(run) ?? commandTarget(run))?.stderrTail();
}

/** On an interrupt: the target goes at once, and whatever was waiting on it then ends the work. */
export function stopAtOnce(run: RunState): void {
  void nodeTarget(run)
    ?.stop(DEFAULTS.interruptStopGraceMs)
    .catch(() => undefined);
  void commandTarget(run)
    ?.stop()
    .catch(() => undefined);
}

/** At the end of every run, whatever happened: target, command, OpenCode, then the sample stream. */
export async function closeRun(run: RunState, interrupted: boolean): Promise<void> {
  await nodeTarget(run)
    ?.stop(interrupted ? DEFAULTS.interruptStopGraceMs : undefined)
    .catch(() => undefined);
  await commandTarget(run)
    ?.stop()
    .catch(() => undefined);
  await run.backend?.close().catch(() => undefined);
  await run.stream.close();
}
