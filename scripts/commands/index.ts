import type { CommandEntry } from './command';

/**
 * Every berth command, in the order `berth --help` lists them. Each is loaded on first use only.
 * Tests and the example-workflow check read this list, so a command exists exactly when it is here.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'promote', summary: 'release a GitHub release (vX.Y.Z) to live, blue/green, and record it', load: () => import('./promote').then((m) => m.promote) },
  { name: 'deploy', summary: 'roll pre onto the current master image, pinned to its digest', load: () => import('./deploy').then((m) => m.deploy) },
  { name: 'rollback', summary: 'put live back on the previous release (or --to vX.Y.Z), blue/green', load: () => import('./rollback').then((m) => m.rollback) },
  { name: 'status', summary: 'show what an environment runs: revision, image, deployment, tasks, target health, URL', load: () => import('./status').then((m) => m.status) },
  { name: 'history', summary: 'list the releases of an environment: time, tag, digest, revision, who', load: () => import('./history').then((m) => m.history) },
];
