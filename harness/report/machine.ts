// The machine facts every report carries, so figures from different runners can be compared.
import os from 'node:os';
import type { RunReport } from './model.ts';

export function machineFacts(): RunReport['machine'] {
  const cpus = os.cpus();
  return {
    node: process.versions.node,
    platform: process.platform,
    arch: process.arch,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemBytes: os.totalmem(),
  };
}
