/*
 * What the plugin holds about a person who registered: their registrations (a snapshot of name,
 * email and type, consent, campaign, learning steps), the emailed links sent to them, and the
 * enrolments waiting for an item's daily digest.
 */
import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import { ERASED_USER_PREFIX, type ErasureSubject, type KnownIdentity } from '../../../domain/privacy/erasure.js';
import type { PersonalDataHolder } from '../../../domain/ports/personal-data.port.js';
import type { Tx } from '../../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../../types.js';
import { on } from '../../shared/knex-helpers.js';
import { changed, placeholders } from '../../shared/sql-lists.js';

type NameRow = { email: string | null; first: string | null; last: string | null };
const identity = (rows: readonly NameRow[]): KnownIdentity => ({
  emails: rows.map((r) => r.email ?? ''),
  names: rows.flatMap((r) => [r.first ?? '', r.last ?? '', `${r.first ?? ''} ${r.last ?? ''}`.trim()]),
});

/**
 * Registrations stay counted (a token's uses, the usage report, the item's totals) but no longer
 * lead back to the person: the user id becomes `erased:<registration id>`, and name, email, user
 * type, consent, the free-text campaign fields (term, content) and the learning outcome go. Kept:
 * token, nickname, item, new or existing account, when, the campaign's source, medium and name, and
 * the dates of the funnel's steps, which the usage counts are made of.
 */
@injectable()
export class RegistrationsHolder implements PersonalDataHolder {
  readonly id = 'registrations';
  readonly tables = ['selfreg_registrations'];

  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async identify(userId: string, tx: Tx): Promise<KnownIdentity> {
    const rows: NameRow[] = await on(this.knex, tx)('selfreg_registrations').where({ user_id: userId })
      .distinct({ email: 'user_email', first: 'user_first_name', last: 'user_last_name' });
    return identity(rows);
  }

  erase(subject: ErasureSubject, tx: Tx): Promise<number> {
    return changed(on(this.knex, tx), `
      update selfreg_registrations set user_id = ? || id::text,
        user_email = null, user_first_name = null, user_last_name = null, user_type = null,
        consented_at = null, consent_terms_url = null, consent_privacy_url = null,
        utm_term = null, utm_content = null, progress_percent = null, outcome = null, score = null, outcome_at = null
      where user_id = ? returning id`, [ERASED_USER_PREFIX, subject.userId]);
  }
}

/** Emailed links (invitation, sign-in) of the person are deleted: none can be used, none holds their consent or campaign. */
@injectable()
export class EmailLinksHolder implements PersonalDataHolder {
  readonly id = 'emailed links';
  readonly tables = ['selfreg_email_links'];

  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  erase(subject: ErasureSubject, tx: Tx): Promise<number> {
    return changed(on(this.knex, tx), 'delete from selfreg_email_links where user_id = ? returning id', [subject.userId]);
  }
}

/** Their enrolments waiting for a daily digest (and those of digests already sent) are deleted: no admin is mailed about them. */
@injectable()
export class DigestEntriesHolder implements PersonalDataHolder {
  readonly id = 'digest entries';
  readonly tables = ['selfreg_digest_entries'];

  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async identify(userId: string, tx: Tx): Promise<KnownIdentity> {
    const rows: NameRow[] = await on(this.knex, tx)('selfreg_digest_entries').where({ user_id: userId })
      .distinct({ email: 'email', first: 'first_name', last: 'last_name' });
    return identity(rows);
  }

  erase(subject: ErasureSubject, tx: Tx): Promise<number> {
    const byEmail = subject.emails.length > 0 ? ` or lower(email) in ${placeholders(subject.emails)}` : '';
    return changed(on(this.knex, tx), `delete from selfreg_digest_entries where user_id = ?${byEmail} returning id`, [subject.userId, ...subject.emails]);
  }
}
