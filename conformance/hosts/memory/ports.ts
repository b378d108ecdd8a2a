/*
 * The memory host's data ports over MemoryStore: users, enrolments, catalogue, portal, seats,
 * passwords and events. Every write on a transaction is staged on it (store.ts); events follow the
 * commit. Ids are strings of the host's own (`u1`, `topic-3`), to show the plugin never parses them.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type {
  CataloguePort, ClockPort, EnrolmentsPort, EventsPort, HostEventName, HostEventPayloads, KnowledgeItem, LoggerPort, PasswordsPort,
  PortalInfo, PortalPort, SeatsPort, Tx, UsersPort,
} from '../../../src/contract/index.js';
import { HOST_EVENTS, USER_TYPES } from '../../../src/contract/index.js';
import { enrolmentKey, type MemoryStore, type StoredUser } from './store.js';

type Handler = (payload: unknown) => unknown;

/** Handlers run in turn, each awaited under a timeout; a failure is logged and the next one runs. */
export class MemoryEvents implements EventsPort {
  private readonly handlers = new Map<HostEventName, Handler[]>();

  constructor(private readonly store: MemoryStore, private readonly logger: LoggerPort, private readonly timeoutMs = 2000) {}

  on<E extends HostEventName>(event: E, handler: (payload: HostEventPayloads[E]) => unknown): () => void {
    if (!(HOST_EVENTS as readonly string[]).includes(event)) throw new TypeError(`Unknown host event "${event}"`);
    const list = this.handlers.get(event) ?? [];
    const h = handler as Handler;
    list.push(h);
    this.handlers.set(event, list);
    return () => {
      const at = list.indexOf(h);
      if (at >= 0) list.splice(at, 1);
    };
  }

  async emit<E extends HostEventName>(event: E, payload: HostEventPayloads[E]): Promise<void> {
    for (const handler of [...(this.handlers.get(event) ?? [])]) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(() => handler(payload)),
          new Promise((_r, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
          }),
        ]);
      } catch (error) {
        this.logger.error(`A handler of ${event} failed`, { error: error instanceof Error ? error.message : String(error) });
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** After `tx` commits (now without one); never when it rolls back. */
  raise<E extends HostEventName>(event: E, payload: HostEventPayloads[E], tx?: Tx): void {
    this.store.afterCommit(tx, () => void this.emit(event, payload));
  }
}

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `${salt.toString('hex')}:${scryptSync(password, salt, 32, { N: 1024 }).toString('hex')}`;
}

export function verifyPassword(password: string, stored: string | null): boolean {
  const [salt, hash] = (stored ?? '00:00').split(':');
  const actual = scryptSync(password, Buffer.from(salt!, 'hex'), 32, { N: 1024 });
  const expected = Buffer.from(hash!, 'hex');
  return stored !== null && expected.length === actual.length && timingSafeEqual(actual, expected);
}

export interface MemoryPortal {
  info: PortalInfo;
}

export interface DataPorts {
  users: UsersPort;
  enrolments: EnrolmentsPort;
  catalogue: CataloguePort;
  portal: PortalPort;
  seats: SeatsPort;
  passwords: PasswordsPort;
}

export function dataPorts(store: MemoryStore, items: Map<string, KnowledgeItem>, portal: MemoryPortal, events: MemoryEvents, clock: ClockPort): DataPorts {
  let nextUser = 0;
  const strip = ({ createdAt: _c, ...user }: StoredUser) => user;
  return {
    users: {
      async findById(id, tx) {
        const user = store.user(id, tx);
        return user ? strip(user) : null;
      },
      async findByEmail(email, tx) {
        const user = store.userByEmail(email, tx);
        return user ? strip(user) : null;
      },
      async create(input, tx) {
        if (!(USER_TYPES as readonly string[]).includes(input.type)) throw new TypeError(`Unknown user type "${input.type}"`);
        if (!input.email.trim() || !input.firstName || !input.lastName) throw new TypeError('A user needs an email and a name');
        nextUser += 1;
        const user: StoredUser = { id: `u${nextUser}`, email: input.email.trim(), firstName: input.firstName, lastName: input.lastName, type: input.type, role: null, status: 'active', createdAt: clock.now() };
        await store.insertUser(user, tx);
        events.raise('user.created', { user: strip(user) }, tx);
        return strip(user);
      },
      async listAdmins(role, tx) {
        return store.allUsers(tx).filter((u) => u.role === role).map(strip);
      },
    },
    enrolments: {
      async enrol(userId, item, tx) {
        const created = await store.enrol(enrolmentKey(userId, item), tx);
        if (created) events.raise('enrolment.created', { userId, item: { type: item.type, id: item.id } }, tx);
        return { created };
      },
      async isEnrolled(userId, item, tx) {
        return store.isEnrolled(enrolmentKey(userId, item), tx);
      },
    },
    catalogue: {
      async get(ref) {
        const item = items.get(ref.id);
        return item && item.ref.type === ref.type ? item : null;
      },
      async list(filter) {
        return [...items.values()].filter((i) => !filter?.type || i.ref.type === filter.type);
      },
    },
    portal: { info: async () => ({ ...portal.info }) },
    seats: {
      available: async (tx) => store.seatsLeft(tx),
      async claim(tx) {
        if (!tx) throw new TypeError('seats.claim needs the transaction that creates the user');
        return store.claimSeat(tx);
      },
    },
    passwords: {
      async setPassword(userId, password, tx) {
        if (typeof password !== 'string' || password.length < 10) return { ok: false, message: 'Use at least 10 characters.' };
        if (!store.user(userId, tx)) return { ok: false, message: 'This account no longer exists.' };
        store.setPassword(userId, hashPassword(password), tx);
        return { ok: true };
      },
    },
  };
}
