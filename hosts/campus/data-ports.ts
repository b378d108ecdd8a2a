/*
 * Campus's data ports: people (UUIDs, a unique index on lower(email)), courses and memberships,
 * the portal, and seats as one counter row claimed by a conditional UPDATE (the row lock holds
 * concurrent claims until the claiming transaction ends; a rollback gives the seat back).
 */
import { pbkdf2, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Knex } from 'knex';
import type { CataloguePort, ClockPort, EnrolmentsPort, PasswordsPort, PortalInfo, PortalPort, SeatsPort, Tx, UsersPort } from '../../src/contract/index.js';
import { USER_TYPES } from '../../src/contract/index.js';
import type { EventOutbox } from './event-outbox.js';
import { isUuid, toItem, toUser, type CourseRow, type PersonRow } from './records.js';

const derive = promisify(pbkdf2);

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  return `pbkdf2$${salt.toString('base64')}$${(await derive(secret, salt, 20000, 32, 'sha256')).toString('base64')}`;
}

export async function secretMatches(secret: string, stored: string | null): Promise<boolean> {
  const [, salt = 'AAAA', hash = 'AAAA'] = (stored ?? '').split('$');
  const actual = await derive(secret, Buffer.from(salt, 'base64'), 20000, 32, 'sha256');
  const expected = Buffer.from(hash, 'base64');
  return stored !== null && expected.length === actual.length && timingSafeEqual(expected, actual);
}

export interface CampusData {
  users: UsersPort;
  enrolments: EnrolmentsPort;
  catalogue: CataloguePort;
  portal: PortalPort;
  seats: SeatsPort;
  passwords: PasswordsPort;
}

export function campusData(knex: Knex, events: EventOutbox, clock: ClockPort, portal: PortalInfo): CampusData {
  const db = (tx?: Tx): Knex => (tx as Knex.Transaction | undefined) ?? knex;
  const person = async (id: string, tx?: Tx) => (isUuid(id) ? ((await db(tx)<PersonRow>('campus_people').where({ id }).first()) ?? null) : null);
  const course = async (id: string, tx?: Tx) => (isUuid(id) ? ((await db(tx)<CourseRow>('campus_courses').where({ id }).first()) ?? null) : null);

  return {
    users: {
      async findById(id, tx) {
        const row = await person(id, tx);
        return row ? toUser(row) : null;
      },
      async findByEmail(email, tx) {
        const row = await db(tx)<PersonRow>('campus_people').whereRaw('lower(email) = lower(?)', [email.trim()]).first();
        return row ? toUser(row) : null;
      },
      async create(input, tx) {
        if (!(USER_TYPES as readonly string[]).includes(input.type)) throw new TypeError(`Campus has no audience "${input.type}"`);
        if (!input.email.trim() || !input.firstName || !input.lastName) throw new TypeError('A person needs an email and a name');
        const [row] = await db(tx)<PersonRow>('campus_people')
          .insert({ id: randomUUID(), email: input.email.trim(), given_name: input.firstName, family_name: input.lastName, audience: input.type, admin_level: null, suspended: false, password: null, joined_at: clock.now() } as PersonRow)
          .returning('*');
        const user = toUser(row as PersonRow);
        await events.raise('user.created', { user }, tx);
        return user;
      },
    },
    enrolments: {
      async enrol(userId, item, tx) {
        const found = await course(item.id, tx);
        if (!found || found.kind !== item.type || !isUuid(userId)) throw new TypeError('Campus cannot enrol in that');
        const rows = await db(tx)('campus_memberships').insert({ person_id: userId, course_id: item.id, since: clock.now(), via: 'other' }).onConflict(['person_id', 'course_id']).ignore().returning('person_id');
        if (rows.length > 0) await events.raise('enrolment.created', { userId, item: { type: item.type, id: item.id } }, tx);
        return { created: rows.length > 0 };
      },
      async isEnrolled(userId, item, tx) {
        if (!isUuid(userId) || !isUuid(item.id)) return false;
        return !!(await db(tx)('campus_memberships').where({ person_id: userId, course_id: item.id }).first('person_id'));
      },
    },
    catalogue: {
      async get(ref, tx) {
        const row = await course(ref.id, tx);
        return row && row.kind === ref.type ? toItem(row) : null;
      },
      /** Optional (1.1): a page's courses in one query (ids Campus never issued, or of another kind, match nothing). */
      async getMany(refs, tx) {
        const ids = [...new Set(refs.filter((r) => isUuid(r.id)).map((r) => r.id))];
        if (ids.length === 0) return [];
        const rows = await db(tx)<CourseRow>('campus_courses').whereIn('id', ids);
        return rows.filter((row) => refs.some((r) => r.id === row.id && r.type === row.kind)).map(toItem);
      },
      async list(filter) {
        const q = knex<CourseRow>('campus_courses').orderBy('name');
        if (filter?.type) q.where({ kind: filter.type });
        return (await q).map(toItem);
      },
      async reportUrl(ref, tx) {
        return (await course(ref.id, tx)) ? `/manage/courses/${ref.id}/report` : null;
      },
    },
    portal: { info: async () => ({ ...portal }) },
    seats: {
      async available(tx) {
        const row = await db(tx)('campus_subscription').where({ id: 1 }).first();
        return row.seats_total === null ? null : Math.max(0, Number(row.seats_total) - Number(row.seats_used));
      },
      async claim(tx) {
        if (!tx) throw new TypeError('seats.claim needs the registration’s transaction');
        const rows = await db(tx)('campus_subscription')
          .where({ id: 1 })
          .andWhere((q) => q.whereNull('seats_total').orWhereRaw('seats_used < seats_total'))
          .update({ seats_used: knex.raw('seats_used + 1') })
          .returning('id');
        return rows.length > 0;
      },
    },
    passwords: {
      async setPassword(userId, password, tx) {
        if (typeof password !== 'string' || password.length < 12) return { ok: false, message: 'A Campus password has at least 12 characters.' };
        if (!(await person(userId, tx))) return { ok: false, message: 'This account no longer exists.' };
        await db(tx)('campus_people').where({ id: userId }).update({ password: await hashSecret(password) });
        return { ok: true };
      },
    },
  };
}
