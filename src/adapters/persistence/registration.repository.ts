import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { RegistrationRecord } from '../../domain/registration/registration-record.js';
import type { RegistrationRepository } from '../../domain/ports/registration-repository.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../types.js';
import { on } from '../shared/knex-helpers.js';
import { utmColumns } from './reports/utm-columns.js';

@injectable()
export class KnexRegistrationRepository implements RegistrationRepository {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async record(entry: RegistrationRecord, tx: Tx): Promise<void> {
    await on(this.knex, tx)('selfreg_registrations').insert(registrationRow(entry));
  }

  async markActivated(userId: string, at: Date, tx: Tx): Promise<void> {
    await on(this.knex, tx)('selfreg_registrations').where({ user_id: userId }).whereNull('activated_at').update({ activated_at: at, rollup_pending: true });
  }
}

/** The `selfreg_registrations` row of a registration (also written by KnexRegistrationWrites). */
export function registrationRow(entry: RegistrationRecord): Record<string, unknown> {
  return {
      token_id: entry.tokenId,
      token_nickname: entry.tokenNickname,
      item_type: entry.item.type,
      item_id: entry.item.id,
      user_id: entry.userId,
      new_user: entry.newUser,
      created_at: entry.at,
      consented_at: entry.consent?.at ?? null,
      consent_terms_url: entry.consent?.termsUrl ?? null,
      consent_privacy_url: entry.consent?.privacyUrl ?? null,
      ...utmColumns(entry.attribution),
      ...(entry.registrant && {
        user_email: entry.registrant.email, user_first_name: entry.registrant.firstName, user_last_name: entry.registrant.lastName, user_type: entry.registrant.type,
      }),
      // An existing account is active already; a new one once its invitation is accepted.
      activated_at: entry.newUser ? null : entry.at,
  };
}
