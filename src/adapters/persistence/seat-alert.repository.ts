import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { SeatAlertRepository } from '../../domain/ports/seat-alert.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../types.js';
import { on } from '../shared/knex-helpers.js';

@injectable()
export class KnexSeatAlertRepository implements SeatAlertRepository {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async claimDay(day: string, at: Date, tx: Tx): Promise<boolean> {
    // The primary key decides: concurrent claimers of one day wait for each other, one row wins.
    const rows = await on(this.knex, tx)('selfreg_seat_alerts').insert({ day, sent_at: at }).onConflict('day').ignore().returning('day');
    return rows.length === 1;
  }
}
