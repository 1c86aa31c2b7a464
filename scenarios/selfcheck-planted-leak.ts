// Self-check of sensitivity: a synthetic target that retains 1 KB per unit must be called a leak.
import { unitScenario } from '../harness/scenario/unit-scenario.ts';

export default unitScenario({
  name: 'selfcheck-planted-leak',
  summary: 'Self-check: a planted leak of 1 KB per unit must be caught (expect exit 1).',
  target: 'fixtures/synthetic/leak-1kb.ts',
});
