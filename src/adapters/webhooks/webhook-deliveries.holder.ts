import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import { ERASED_NAME, type ErasureSubject, type KnownIdentity } from '../../domain/privacy/erasure.js';
import type { PersonalDataHolder } from '../../domain/ports/personal-data.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../types.js';
import { on } from '../shared/knex-helpers.js';
import { changed } from '../shared/sql-lists.js';
import { DELIVERIES, ENDPOINTS } from './webhook-outbox.store.js';

/** The events whose body is about a person (`data.person`); the others (a token switched) only name who did it (`data.by`). */
const ABOUT_A_PERSON = ['registration.created', 'registration.activated', 'enrolment.completed'];
const ABOUT = `event_type in (${ABOUT_A_PERSON.map((t) => `'${t}'`).join(', ')})`;

/**
 * What a delivery's body keeps once the person it is about was erased: the event, the item, the
 * token, when, the campaign's source, medium and name — what the registration itself keeps — and
 * `"erased": true`, which the delivery log shows and which a replay refuses.
 */
const SCRUBBED = `jsonb_set(jsonb_set(
    (payload::jsonb #- '{data,registration,campaign,term}' #- '{data,registration,campaign,content}' #- '{data,completion,outcome}' #- '{data,completion,score}'),
    '{data,person}', 'null'::jsonb, false), '{erased}', 'true'::jsonb)::text`;

/**
 * Webhook deliveries about the person (found by `user_id`, which every delivery naming someone
 * carries): those not sent yet — queued, retrying, being sent — are cancelled (deleted: a receiver
 * must not get an erased person's lead); the log of delivered and failed ones keeps its status,
 * tries, answer code and times, its body scrubbed of the person and `user_id` cleared. A token event
 * names the admin who switched the token: their id and name become "Erased user" (queued or not: the
 * event is not about them). An endpoint's creator is cleared; its URL and description are what an
 * admin typed for a receiving system and are kept.
 */
@injectable()
export class WebhookDeliveriesHolder implements PersonalDataHolder {
  readonly id = 'webhooks';
  readonly tables = [DELIVERIES, ENDPOINTS];

  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  /** The addresses and names the bodies sent about them hold (a delivery may outlive its registration). */
  async identify(userId: string, tx: Tx): Promise<KnownIdentity> {
    const rows: { email: string | null; first: string | null; last: string | null; by: string | null }[] = (await on(this.knex, tx).raw(
      `select p->'data'->'person'->>'email' as email, p->'data'->'person'->>'firstName' as first, p->'data'->'person'->>'lastName' as last, p->'data'->'by'->>'name' as by
       from (select payload::jsonb as p from ${DELIVERIES} where user_id = ?) d`, [userId])).rows;
    return {
      emails: rows.map((r) => r.email ?? ''),
      names: rows.flatMap((r) => [r.first ?? '', r.last ?? '', r.first && r.last ? `${r.first} ${r.last}` : '', r.by ?? '']),
    };
  }

  async erase(subject: ErasureSubject, tx: Tx): Promise<number> {
    const db = on(this.knex, tx);
    const id = subject.userId;
    let n = await changed(db, `delete from ${DELIVERIES} where user_id = ? and ${ABOUT} and status not in ('delivered', 'failed') returning id`, [id]);
    n += await changed(db, `update ${DELIVERIES} set payload = ${SCRUBBED}, user_id = null where user_id = ? and ${ABOUT} returning id`, [id]);
    n += await changed(db, `update ${DELIVERIES} set payload = jsonb_set(payload::jsonb, '{data,by}', jsonb_build_object('id', null, 'name', ?::text), false)::text, user_id = null
      where user_id = ? and not (${ABOUT}) returning id`, [ERASED_NAME, id]);
    n += await changed(db, `update ${ENDPOINTS} set created_by = null where created_by = ? returning id`, [id]);
    return n;
  }
}
