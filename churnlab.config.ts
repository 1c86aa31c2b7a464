// churnlab's own config: reports under reports/, and the gate suite of ci/ that `npm run gate`
// runs on main (and the CI matrix runs one entry per job). See docs/ci.md.
import { defineConfig } from './harness/config/define.ts';
import { gateSuite } from './ci/gate-suite.ts';

export default defineConfig({
  outDir: 'reports',
  gate: gateSuite,
});
