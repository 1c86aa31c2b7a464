// Step 3, prime: rounds of clock advance + sample before any work, so V8's tier-up of the
// harness's own paths in the target (IPC, clock, sampling) happens here and not in the judged
// window (docs/architecture.md, "Priming").
import type { ScenarioDriver } from '../driver.ts';

export async function prime(driver: ScenarioDriver, rounds: number): Promise<void> {
  driver.phase('prime');
  for (let i = 0; i < rounds; i += 1) {
    await driver.advance(1000);
    await driver.sample();
  }
}
