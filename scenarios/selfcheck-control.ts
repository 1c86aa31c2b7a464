// Self-check of honesty: an empty target must come out flat, proving the harness's own
// machinery (IPC, sampling, census) adds no growth to the target.
import { unitScenario } from '../harness/scenario/unit-scenario.ts';

export default unitScenario({
  name: 'selfcheck-control',
  summary: 'Self-check: an empty target must come out bounded (expect exit 0).',
  target: 'fixtures/synthetic/empty-control.ts',
});
