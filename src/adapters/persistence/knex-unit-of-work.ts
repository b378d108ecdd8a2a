import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { Tx, UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../types.js';

@injectable()
export class KnexUnitOfWork implements UnitOfWork {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.knex.transaction((trx) => work(trx));
  }
}
