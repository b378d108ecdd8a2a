import type { Knex } from 'knex';
import { inject, injectable, optional } from 'inversify';
import type { RegistrationRecord } from '../../domain/registration/registration-record.js';
import type { RegistrationRepository } from '../../domain/ports/registration-repository.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../types.js';
import { on } from '../shared/knex-helpers.js';
import { utmColumns } from './reports/utm-columns.js';
import { createdPayload, queuedCount, type WebhookRows } from './registration-webhooks.js';

@injectable()
export class KnexRegistrationRepository implements RegistrationRepository {
  constructor(
    @inject(TYPES.Database) private readonly knex: Knex,
    /** Absent in storage tests that build the repository alone: no deliveries are written then. */
    @inject(TYPES.WebhookOutbox) @optional() private readonly webhooks: WebhookRows | null = null,
  ) {}

  /** The registration and its registration.created deliveries (one per subscribed endpoint) in one statement. */
  async record(entry: RegistrationRecord, tx: Tx, itemTitle: string | null = null): Promise<void> {
    const row = registrationRow(entry);
    if (!this.webhooks) return void (await on(this.knex, tx)('selfreg_registrations').insert(row));
    const columns = Object.keys(row);
    const wh = this.webhooks.deliveryCte('registration.created', createdPayload(entry, itemTitle), '?', [entry.userId]);
    const result = await on(this.knex, tx).raw(
      `with wh as (${wh.sql}), reg as (insert into selfreg_registrations (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')}))
       select count(*) as webhooks from wh`,
      [...wh.bindings, ...columns.map((c) => row[c])] as Knex.RawBinding[],
    );
    if (queuedCount((result as { rows: Record<string, unknown>[] }).rows) > 0) this.webhooks.queuedIn(tx);
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
