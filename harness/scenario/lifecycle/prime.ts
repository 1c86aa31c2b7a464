// Step 3, prime: rounds of clock advance + a sample's target-side code before any work, so V8's
// tier-up of the harness's own paths in the target (IPC, clock, sampling) happens here and not in
// the judged window (docs/architecture.md, "Priming"; ScenarioDriver.prime).
import type { ScenarioDriver } from '../driver.ts';

export async function prime(driver: ScenarioDriver, rounds: number): Promise<void> {
  driver.phase('prime');
  await driver.prime(rounds);
}
