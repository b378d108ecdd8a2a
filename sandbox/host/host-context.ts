/*
 * What every port of the sandbox host shares: the database (on the caller's transaction when there
 * is one), the configuration it falls back on, the clock, the event bus and the log.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { ClockPort, Tx } from '../../src/contract/index.js';
import type { SandboxConfig } from '../config.js';
import type { HostEventBus } from './events.port.js';

export type HostConfig = Pick<SandboxConfig, 'publicBaseUrl' | 'portalName' | 'adminEmail' | 'timeZone' | 'seatLimit'>;

export interface HostContext {
  readonly knex: Knex;
  readonly config: HostConfig;
  readonly clock: ClockPort;
  readonly events: HostEventBus;
  readonly log: Logger;
  /** Statements run on the caller's transaction when there is one. */
  db(tx?: Tx): Knex;
}

export function createHostContext(parts: Omit<HostContext, 'db'>): HostContext {
  const { knex } = parts;
  return { ...parts, db: (tx?: Tx): Knex => (tx as Knex.Transaction | undefined) ?? knex };
}
