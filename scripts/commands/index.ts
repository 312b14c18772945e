import type { CommandEntry } from '../cli/command';

/**
 * Every berth command, in the order `berth --help` lists them. Each is loaded on first use only.
 * Tests and the example-workflow check read this list, so a command exists exactly when it is here.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'promote',
    summary: 'release a GitHub release (vX.Y.Z) to live, blue/green, and record it',
    load: () => import('./promote').then((m) => m.promote),
  },
  {
    name: 'deploy',
    summary: 'roll pre onto the current master image, pinned to its digest',
    load: () => import('./deploy').then((m) => m.deploy),
  },
  {
    name: 'rollback',
    summary: 'put live back on the previous release (or --to vX.Y.Z), blue/green',
    load: () => import('./rollback').then((m) => m.rollback),
  },
  {
    name: 'status',
    summary: 'show what an environment runs: revision, image, deployment, tasks, target health, URL',
    load: () => import('./status').then((m) => m.status),
  },
  {
    name: 'history',
    summary: 'list the releases of an environment: time, tag, digest, revision, who',
    load: () => import('./history').then((m) => m.history),
  },
  // troubleshooting (issue 5).
  {
    name: 'instances',
    summary: "list the environment's EC2 instances: state, AMI, ECS agent, tasks",
    load: () => import('./instances').then((m) => m.instances),
  },
  {
    name: 'connect',
    summary: 'open a shell on an instance (SSM Session Manager; --ssh through EC2 Instance Connect)',
    load: () => import('./connect').then((m) => m.connect),
  },
  {
    name: 'exec',
    summary: 'open a shell or run a command in a running container (ECS Exec)',
    load: () => import('./exec').then((m) => m.exec),
  },
  { name: 'logs', summary: "print the service's container logs; --follow until Ctrl-C", load: () => import('./logs').then((m) => m.logs) },
  {
    name: 'agent-log',
    summary: "print an instance's ECS agent log through SSM Run Command",
    load: () => import('./agent-log').then((m) => m.agentLog),
  },
  {
    name: 'dns',
    summary: "check the subdomain's Route 53 alias, its certificate and what public resolvers answer",
    load: () => import('./dns').then((m) => m.dns),
  },
  {
    name: 'doctor',
    summary: 'walk DNS → load balancer → targets → service → tasks → instances and report each link with its fix',
    load: () => import('./doctor').then((m) => m.doctor),
  },
  // data tier (issue 7).
  {
    name: 'db-shell',
    summary: "open a mysql/psql shell on the environment's database in a one-off task (ECS Exec)",
    load: () => import('./db-shell').then((m) => m.dbShell),
  },
];
