#!/usr/bin/env node
// The `churnlab` command. tsx is registered for this process first, so a project's
// churnlab.config.ts and TypeScript scenario files load without the project installing tsx;
// then the compiled CLI runs (dist/, built by `npm run build` and before `npm pack`), or, in
// churnlab's own checkout before any build, its TypeScript sources.
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const compiled = new URL('../dist/harness/cli/churnlab.js', import.meta.url);
const entry = existsSync(compiled) ? compiled : new URL('../harness/cli/churnlab.ts', import.meta.url);
const { start } = await import(entry.href);
start(process.argv.slice(2));
