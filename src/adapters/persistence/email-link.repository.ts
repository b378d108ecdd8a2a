import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { EmailLinkPurpose } from '../../domain/registration/registration.js';
import type { EmailLink } from '../../domain/registration/email-link.js';
import type { EmailLinkRepository, NewEmailLink } from '../../domain/ports/email-link-repository.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../types.js';
import { dateOrNull, idString, on } from '../shared/knex-helpers.js';
import type { Attribution } from '../../domain/reports/attribution.js';

interface LinkRow {
  id: string | number;
  user_id: string;
  purpose: EmailLinkPurpose;
  item_type: string | null;
  item_id: string | null;
  token_id: string | number | null;
  expires_at: string | Date;
  used_at: string | Date | null;
  revoked_at: string | Date | null;
  consented_at?: string | Date | null;
  consent_terms_url?: string | null;
  consent_privacy_url?: string | null;
  attribution?: Attribution | string | null;
}

const TABLE = 'selfreg_email_links';

@injectable()
export class KnexEmailLinkRepository implements EmailLinkRepository {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async issue(input: NewEmailLink, tx: Tx): Promise<EmailLink> {
    const db = on(this.knex, tx);
    // A fresh link kills the older ones of the same kind: only the newest email works.
    await db(TABLE).where({ user_id: input.userId, purpose: input.purpose }).whereNull('used_at').whereNull('revoked_at').update({ revoked_at: input.now });
    const [row] = (await db(TABLE)
      .insert(linkRow(input))
      .returning('*')) as LinkRow[];
    return toLink(row!);
  }

  async findByDigest(secretDigest: string, tx?: Tx): Promise<EmailLink | null> {
    const row: LinkRow | undefined = await on(this.knex, tx)(TABLE).where({ secret_digest: secretDigest }).first();
    return row ? toLink(row) : null;
  }

  async consume(id: string, now: Date, tx: Tx): Promise<boolean> {
    const updated = await on(this.knex, tx)(TABLE)
      .where({ id })
      .whereNull('used_at')
      .whereNull('revoked_at')
      .where('expires_at', '>', now)
      .update({ used_at: now });
    return updated === 1;
  }

  async revokeForUser(userId: string, tx?: Tx): Promise<number> {
    return on(this.knex, tx)(TABLE).where({ user_id: userId }).whereNull('used_at').whereNull('revoked_at').update({ revoked_at: new Date() });
  }

  async invitationPending(userId: string, tx?: Tx): Promise<boolean> {
    const rows: { used: string | number; total: string | number }[] = await on(this.knex, tx)(TABLE)
      .where({ user_id: userId, purpose: 'invitation' })
      .select(this.knex.raw('count(used_at) as used'), this.knex.raw('count(*) as total'));
    const row = rows[0];
    return !!row && Number(row.total) > 0 && Number(row.used) === 0;
  }
}

/** The `selfreg_email_links` row of a new link (also written by KnexRegistrationWrites). */
export function linkRow(input: NewEmailLink): Record<string, unknown> {
  return {
    user_id: input.userId,
    purpose: input.purpose,
    item_type: input.item?.type ?? null,
    item_id: input.item?.id ?? null,
    token_id: input.tokenId,
    secret_digest: input.secretDigest,
    expires_at: input.expiresAt,
    created_at: input.now,
    consented_at: input.consent?.at ?? null,
    consent_terms_url: input.consent?.termsUrl ?? null,
    consent_privacy_url: input.consent?.privacyUrl ?? null,
    ...(input.attribution && { attribution: JSON.stringify(input.attribution) }),
  };
}

function toLink(row: LinkRow): EmailLink {
  return {
    id: idString(row.id),
    userId: row.user_id,
    purpose: row.purpose,
    item: row.item_type && row.item_id ? { type: row.item_type as KnowledgeRef['type'], id: row.item_id } : null,
    tokenId: row.token_id == null ? null : idString(row.token_id),
    expiresAt: new Date(row.expires_at),
    usedAt: dateOrNull(row.used_at),
    revokedAt: dateOrNull(row.revoked_at),
    attribution: typeof row.attribution === 'string' ? (JSON.parse(row.attribution) as Attribution) : (row.attribution ?? null),
    consent: row.consented_at ? { at: new Date(row.consented_at), termsUrl: row.consent_terms_url ?? null, privacyUrl: row.consent_privacy_url ?? null } : null,
  };
}
