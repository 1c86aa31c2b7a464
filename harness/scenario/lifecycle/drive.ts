// Step 4, drive: the one driver every kind of run works the target through (batched IPC calls,
// the virtual clock, samples streamed to disk as they are taken). What drives it is the kind's:
// a scenario's workload, or a load's requests.
import type { OpenCodeBackend } from '../../opencode/backend.ts';
import { ScenarioDriver } from '../driver.ts';
import type { RunKind, RunState } from './kind.ts';

/** The run's driver over the launched target; every sample goes to the run, the stream and the kind's progress. */
export function startDriver(run: RunState, kind: RunKind): ScenarioDriver {
  if (!run.driven || !run.sampler) throw new Error('the driver starts after the launch step');
  run.driver = new ScenarioDriver(run.driven, run.sampler, {
    ...kind.driverOptions(run),
    unit: kind.unit,
    startedAtMs: run.startedAt.getTime(),
    serviceUrl: run.serviceUrl,
    backend: run.backend,
    signal: kind.signal,
    onSample: (sample) => {
      run.samples.push(sample);
      run.stream.write(sample);
      kind.onProgress?.({ phase: sample.phase, work: sample.work, unit: kind.unit, sample });
    },
  });
  return run.driver;
}

/** The mock OpenCode's accounting per route as sample counters (`opencode.<route>.calls`, ...); none on the real server. */
export function accountingCounters(
  backend: OpenCodeBackend | undefined,
  fields: readonly ('calls' | 'bytes')[],
): (() => Record<string, number>) | undefined {
  const accounting = backend?.mock?.accounting;
  if (!accounting) return undefined;
  return () =>
    Object.fromEntries(
      Object.entries(accounting.routeTotals()).flatMap(([route, c]) => fields.map((f) => [`opencode.${route}.${f}`, c[f]])),
    );
}
