import type { CommandEntry } from '../cli/command';
import * as definitions from './definitions';

/**
 * Every berth command, in the order `berth --help` lists them: its definition, and the module that does it,
 * loaded only when the operator runs it (so `--help` and a bad command line load no SDK client). Tests and the
 * example-workflow check read this list, so a command exists exactly when it is here.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { ...definitions.PROMOTE, load: () => import('./promote').then((m) => m.promote) },
  { ...definitions.DEPLOY, load: () => import('./deploy').then((m) => m.deploy) },
  { ...definitions.ROLLBACK, load: () => import('./rollback').then((m) => m.rollback) },
  { ...definitions.CONTINUE, load: () => import('./continue').then((m) => m.continueDeployment) },
  { ...definitions.STATUS, load: () => import('./status').then((m) => m.status) },
  { ...definitions.HISTORY, load: () => import('./history').then((m) => m.history) },
  // troubleshooting (issue 5).
  { ...definitions.INSTANCES, load: () => import('./instances').then((m) => m.instances) },
  { ...definitions.CONNECT, load: () => import('./connect').then((m) => m.connect) },
  { ...definitions.EXEC, load: () => import('./exec').then((m) => m.exec) },
  { ...definitions.LOGS, load: () => import('./logs').then((m) => m.logs) },
  { ...definitions.AGENT_LOG, load: () => import('./agent-log').then((m) => m.agentLog) },
  { ...definitions.DNS, load: () => import('./dns').then((m) => m.dns) },
  { ...definitions.DOCTOR, load: () => import('./doctor').then((m) => m.doctor) },
  // pre-flight (issue 15).
  { ...definitions.VERIFY, load: () => import('./verify').then((m) => m.verify) },
  // data tier (issue 7).
  { ...definitions.DB_SHELL, load: () => import('./db-shell').then((m) => m.dbShell) },
];
