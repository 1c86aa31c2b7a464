#!/usr/bin/env node
// The `churnlab` command. tsx is registered for this process first, so a project's
// churnlab.config.ts and TypeScript scenario files load without the project installing tsx.
// Installed, the package holds the compiled CLI (dist/); churnlab's own checkout runs its
// TypeScript sources, whatever a build left in dist/.
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const source = new URL('../harness/cli/churnlab.ts', import.meta.url);
const entry = existsSync(source) ? source : new URL('../dist/harness/cli/churnlab.js', import.meta.url);
const { start } = await import(entry.href);
start(process.argv.slice(2));
