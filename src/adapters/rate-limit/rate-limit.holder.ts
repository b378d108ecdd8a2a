import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { ErasureSubject } from '../../domain/privacy/erasure.js';
import type { PersonalDataHolder } from '../../domain/ports/personal-data.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { normaliseEmail } from '../../domain/shared/user.js';
import { TYPES } from '../../types.js';
import { on } from '../shared/knex-helpers.js';
import { changed, placeholders } from '../shared/sql-lists.js';
import { RATE_LIMIT_TABLE, type KnexRateLimiter } from './knex-rate-limiter.js';

/**
 * The per-email abuse counters are keyed by an HMAC of the address (no address is stored), which
 * still singles the person out to anyone holding the plugin secret: their counters are deleted.
 */
@injectable()
export class RateLimitHolder implements PersonalDataHolder {
  readonly id = 'abuse limits';
  readonly tables = [RATE_LIMIT_TABLE];

  constructor(
    @inject(TYPES.Database) private readonly knex: Knex,
    @inject(TYPES.RateLimiter) private readonly limiter: KnexRateLimiter,
  ) {}

  erase(subject: ErasureSubject, tx: Tx): Promise<number> {
    if (subject.emails.length === 0) return Promise.resolve(0);
    const keys = subject.emails.map((e) => this.limiter.storedKey('email', normaliseEmail(e)));
    return changed(on(this.knex, tx), `delete from ${RATE_LIMIT_TABLE} where key in ${placeholders(keys)} returning key`, keys);
  }
}
