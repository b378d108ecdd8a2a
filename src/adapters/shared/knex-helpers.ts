import type { Knex } from 'knex';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';

/** The transaction the caller passed, or the shared knex instance. */
export const on = (knex: Knex, tx?: Tx): Knex => (tx as Knex.Transaction | undefined) ?? knex;

/** Knex hands back bigint ids as strings on pg and numbers on PGlite: one form at the boundary. */
export const idString = (value: unknown): string => String(value);

export const dateOrNull = (value: unknown): Date | null => (value == null ? null : new Date(value as string));
