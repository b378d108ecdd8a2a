import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { ClaimedRegistration, RegistrationWrites } from '../../domain/ports/registration-writes.port.js';
import type { CreateEnrolledResult, HostStatement } from '../../domain/ports/users.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import type { OutgoingMail } from '../../domain/mail/outgoing-mail.js';
import { TYPES } from '../../types.js';
import { on, preparedStatement } from '../shared/knex-helpers.js';
import { linkRow } from './email-link.repository.js';
import { registrationRow } from './registration.repository.js';
import { createdPayload, queuedCount, type WebhookRows } from './registration-webhooks.js';

/** What this store needs of the outbox (KnexOutbox, bound as TYPES.Outbox): its row, and "due once committed". */
interface OutboxRows {
  rowFor(mail: OutgoingMail): Record<string, unknown>;
  queuedIn(tx?: Tx): void;
}

/**
 * A registration's own rows in ONE statement: the registration, the link and its mail as
 * data-modifying CTEs, and the use claimed by `selfreg_claim_use` (the statement's result). When the
 * claim loses, the caller rolls back, rows and all. node-postgres sends one statement per round trip,
 * so this replaces four of them; no foreign key makes it lock the token row.
 */
@injectable()
export class KnexRegistrationWrites implements RegistrationWrites {
  constructor(
    @inject(TYPES.Database) private readonly knex: Knex,
    @inject(TYPES.Outbox) private readonly outbox: OutboxRows,
    @inject(TYPES.WebhookOutbox) private readonly webhooks: WebhookRows,
  ) {}

  async claimAndRecord(write: ClaimedRegistration, tx: Tx): Promise<boolean> {
    const ctes: string[] = [];
    const bindings: unknown[] = [];
    const insert = (table: string, row: Record<string, unknown>) => {
      const columns = Object.keys(row);
      ctes.push(`w${ctes.length} as (insert into ${table} (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')}))`);
      bindings.push(...columns.map((c) => row[c]));
    };
    insert('selfreg_registrations', registrationRow(write.registration));
    if (write.link) insert('selfreg_email_links', linkRow(write.link));
    if (write.mail) insert('selfreg_outbox', this.outbox.rowFor(write.mail));
    // Its registration.created deliveries, one per subscribed endpoint, in the same statement.
    const wh = this.webhooks.deliveryCte('registration.created', createdPayload(write.registration, write.itemTitle), '?', [write.registration.userId]);
    ctes.push(`wh as (${wh.sql})`);
    bindings.push(...wh.bindings);
    bindings.push(write.registration.tokenId, write.registration.at);
    const result = await on(this.knex, tx).raw(`with ${ctes.join(', ')} select selfreg_claim_use(?, ?) as claimed, (select count(*) from wh) as webhooks`, bindings as Knex.RawBinding[]);
    const rows = (result as { rows: Record<string, unknown>[] }).rows;
    if (write.mail) this.outbox.queuedIn(tx);
    if (queuedCount(rows) > 0) this.webhooks.queuedIn(tx);
    return !!rows[0]?.claimed;
  }

  async createAndRecord(host: HostStatement<CreateEnrolledResult>, write: ClaimedRegistration): Promise<CreateEnrolledResult | { readonly kind: 'lost' }> {
    const ctes = [`h as (${host.sql})`];
    const bindings: unknown[] = [...host.bindings];
    // Each row typed by its table (jsonb_populate_record), the user id taken from the host's row.
    const insert = (table: string, row: Record<string, unknown>) => {
      const columns = Object.keys(row);
      const values = columns.map((c) => (c === 'user_id' ? 'h.user_id' : `r."${c}"`));
      ctes.push(`w${ctes.length} as (insert into ${table} (${columns.map((c) => `"${c}"`).join(', ')})
        select ${values.join(', ')} from jsonb_populate_record(null::${table}, ?::jsonb) r, h where h.outcome = 'created')`);
      bindings.push(JSON.stringify(row));
    };
    insert('selfreg_registrations', registrationRow(write.registration));
    if (write.link) insert('selfreg_email_links', linkRow(write.link));
    if (write.mail) {
      const row = this.outbox.rowFor(write.mail);
      insert('selfreg_outbox', { ...row, data: JSON.parse(String(row.data)) as unknown });
    }
    // Its registration.created deliveries with the host's new user id: no extra round trip, and none
    // written (a scan of the few endpoint rows) when no endpoint subscribes.
    const wh = this.webhooks.deliveryCte('registration.created', createdPayload(write.registration, write.itemTitle, true), 'h.user_id', [], 'h', "h.outcome = 'created'");
    ctes.push(`wh as (${wh.sql})`);
    bindings.push(...wh.bindings);
    bindings.push(write.registration.tokenId, write.registration.at);
    let result: { rows: Record<string, unknown>[] };
    try {
      result = await preparedStatement(this.knex, `with ${ctes.join(', ')} select h.*, case when h.outcome = 'created' then selfreg_require_use(?, ?) end as claimed, (select count(*) from wh) as selfreg_webhooks from h`, bindings);
    } catch (e) {
      if ((e as { code?: unknown } | null)?.code === USE_NOT_CLAIMED) return { kind: 'lost' };
      throw e;
    }
    const row = result.rows[0]!;
    host.committed(row);
    const outcome = host.read(row);
    if (outcome.kind === 'created' && write.mail) this.outbox.queuedIn();
    if (outcome.kind === 'created' && queuedCount(result.rows, 'selfreg_webhooks') > 0) this.webhooks.queuedIn();
    return outcome;
  }
}

/** SQLSTATE raised by selfreg_require_use when the use could not be claimed. */
const USE_NOT_CLAIMED = 'SR001';
