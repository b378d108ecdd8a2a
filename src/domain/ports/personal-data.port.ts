import type { ErasureSubject, KnownIdentity } from '../privacy/erasure.js';
import type { Tx } from './unit-of-work.port.js';

/**
 * One holder of personal data: the tables of one feature that may name a person (by user id, email
 * or name), and how to forget them. Every feature that stores people binds one (multi-binding
 * `TYPES.PersonalDataHolder`); the erasure runs them all in one transaction, so a feature that adds a
 * table adds its holder beside it and is erased with the rest. The test that scans every `selfreg_`
 * table after an erasure catches a table no holder covers.
 */
export interface PersonalDataHolder {
  /** A short name for the log and the retention table (e.g. `registrations`). */
  readonly id: string;
  /** The tables it covers. */
  readonly tables: readonly string[];
  /** What its tables know of the person (emails, names), read before any holder erases. */
  identify?(userId: string, tx: Tx): Promise<KnownIdentity>;
  /** Removes or anonymises everything naming the person; returns the rows it changed. */
  erase(subject: ErasureSubject, tx: Tx): Promise<number>;
}
