/*
 * In-memory fakes of every port the application services use. They share one FakeDb whose
 * `state` is plain data: FakeUnitOfWork snapshots it when a unit of work starts and restores the
 * snapshot when the work rejects, so a rollback is observable in the stores. Writes that belong in
 * the registration transaction check they are made on the open transaction.
 */
import { createHash } from 'node:crypto';
import type { KnowledgeItem, KnowledgeRef, KnowledgeType } from '../../src/domain/shared/knowledge.js';
import type { EmailLinkPurpose } from '../../src/domain/registration/registration.js';
import type { Token } from '../../src/domain/tokens/token.js';
import type { HostUser, NewUser } from '../../src/domain/shared/user.js';
import type { ClockPort } from '../../src/domain/ports/clock.port.js';
import type {
  CataloguePort, EnrolmentsPort, PasswordsPort, PortalInfo, PortalPort, SeatsPort, UsersPort,
} from '../../src/domain/ports/host.ports.js';
import type { LoggerPort } from '../../src/domain/ports/logger.port.js';
import type { RandomSource } from '../../src/domain/ports/random.port.js';
import { DEFAULT_BRANDING } from '../../src/domain/ports/repositories.port.js';
import type {
  Branding, EmailLink, EmailLinkRepository, NewToken, OutboxPort, OutgoingMail, RegistrationRecord, RegistrationRepository,
  SecretHasher, SettingsRepository, TokenRepository,
} from '../../src/domain/ports/repositories.port.js';
import type { ConsentRecord } from '../../src/domain/ports/repositories.port.js';
import type { Tx, UnitOfWork } from '../../src/domain/ports/unit-of-work.port.js';
import type { RegistrationPorts } from '../../src/application/registration/registration.service.js';
import type { SeatAlerts } from '../../src/application/registration/seat-alerts.service.js';
import type { RateLimitPort } from '../../src/domain/ports/rate-limit.port.js';
import type { RateLimitKind, RateLimitVerdict } from '../../src/domain/registration/rate-limit.js';
import type { ApiKey } from '../../src/domain/api-keys/api-key.js';
import type { AuditEntry, NewAuditEntry } from '../../src/domain/audit/audit.js';
import { tokenStatus } from '../../src/domain/tokens/token.js';
import type {
  ApiKeyRepository, AuditQuery, AuditRepository, NewApiKey, TokenAdminRepository, TokenPage, TokenQuery, TokenRegistration,
  TokenRegistrationQuery, TokenUpdate,
} from '../../src/domain/ports/token-admin.port.js';

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export interface StoredLink extends EmailLink {
  readonly secretDigest: string;
}

export interface State {
  portalEnabled: boolean;
  /** Null: unlimited subscription. */
  seatsLeft: number | null;
  items: KnowledgeItem[];
  users: HostUser[];
  passwords: Record<string, string>;
  enrolments: { userId: string; item: KnowledgeRef }[];
  tokens: Token[];
  /** Token id → normalised code. */
  tokenCodes: Record<string, string>;
  registrations: RegistrationRecord[];
  links: StoredLink[];
  outbox: OutgoingMail[];
  nextId: number;
  /** Token management: the audit log, API keys (with their digests) and registration ids. */
  audit?: AuditEntry[];
  apiKeys?: (ApiKey & { digest: string })[];
}

export class FakeDb {
  state: State = {
    portalEnabled: true,
    seatsLeft: null,
    items: [],
    users: [],
    passwords: {},
    enrolments: [],
    tokens: [],
    tokenCodes: {},
    registrations: [],
    links: [],
    outbox: [],
    nextId: 0,
  };
  openTx: Tx | null = null;
  commits = 0;
  rollbacks = 0;

  newId(prefix: string): string {
    this.state.nextId += 1;
    return `${prefix}${this.state.nextId}`;
  }

  /** For writes that must be part of the open unit of work. */
  inTx(tx: Tx | undefined): State {
    if (!this.openTx || tx !== this.openTx) throw new Error('write outside the open transaction');
    return this.state;
  }
}

export class FakeUnitOfWork implements UnitOfWork {
  private count = 0;
  constructor(private readonly db: FakeDb) {}

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.db.openTx) throw new Error('nested unit of work');
    const snapshot = structuredClone(this.db.state);
    const tx: Tx = { tx: ++this.count };
    this.db.openTx = tx;
    try {
      const result = await work(tx);
      this.db.commits += 1;
      return result;
    } catch (e) {
      this.db.state = snapshot;
      this.db.rollbacks += 1;
      throw e;
    } finally {
      this.db.openTx = null;
    }
  }
}

export class FakeClock implements ClockPort {
  constructor(public current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** int() replays the scripted values, then counts 0, 1, 2… (mod max); secret() is distinct per call. */
export class FakeRandom implements RandomSource {
  readonly intCalls: number[] = [];
  readonly secretCalls: number[] = [];
  constructor(private readonly script: number[] = []) {}

  int(maxExclusive: number): number {
    this.intCalls.push(maxExclusive);
    const scripted = this.script.shift();
    return scripted ?? (this.intCalls.length - 1) % maxExclusive;
  }

  secret(bytes: number): string {
    this.secretCalls.push(bytes);
    return `Secret_${String(this.secretCalls.length).padStart(36, '0')}`; // 43 URL-safe characters
  }
}

export const sha256Hasher: SecretHasher = { hash: sha256 };

export class FakeUsers implements UsersPort {
  readonly createCalls: NewUser[] = [];
  constructor(private readonly db: FakeDb) {}

  async findById(id: string): Promise<HostUser | null> {
    return this.db.state.users.find((u) => u.id === id) ?? null;
  }
  async findByEmail(email: string): Promise<HostUser | null> {
    return this.db.state.users.find((u) => u.email.toLowerCase() === email.toLowerCase()) ?? null;
  }
  async create(input: NewUser, tx?: Tx): Promise<HostUser> {
    const state = this.db.inTx(tx);
    this.createCalls.push(input);
    if (state.users.some((u) => u.email.toLowerCase() === input.email.toLowerCase())) throw new Error('duplicate email');
    const user: HostUser = {
      id: this.db.newId('user-'), email: input.email, firstName: input.firstName, lastName: input.lastName,
      type: input.type, role: null, status: 'active',
    };
    state.users.push(user);
    return user;
  }
}

const sameRef = (a: KnowledgeRef, b: KnowledgeRef): boolean => a.type === b.type && a.id === b.id;

export class FakeEnrolments implements EnrolmentsPort {
  constructor(private readonly db: FakeDb) {}

  async enrol(userId: string, item: KnowledgeRef, tx?: Tx): Promise<{ created: boolean }> {
    const state = this.db.inTx(tx);
    if (await this.isEnrolled(userId, item)) return { created: false };
    state.enrolments.push({ userId, item: { type: item.type, id: item.id } });
    return { created: true };
  }
  async isEnrolled(userId: string, item: KnowledgeRef): Promise<boolean> {
    return this.db.state.enrolments.some((e) => e.userId === userId && sameRef(e.item, item));
  }
}

export class FakeCatalogue implements CataloguePort {
  constructor(private readonly db: FakeDb) {}

  async get(ref: KnowledgeRef): Promise<KnowledgeItem | null> {
    return this.db.state.items.find((i) => sameRef(i.ref, ref)) ?? null;
  }
  async list(filter?: { type?: KnowledgeType }): Promise<KnowledgeItem[]> {
    return this.db.state.items.filter((i) => !filter?.type || i.ref.type === filter.type);
  }
}

export class FakePortal implements PortalPort {
  constructor(public portal: PortalInfo) {}
  async info(): Promise<PortalInfo> {
    return this.portal;
  }
}

export class FakeSeats implements SeatsPort {
  /** Set to false to lose the claim although available() said a seat was left (a race). */
  claimResult: boolean | null = null;
  claimCalls = 0;
  constructor(private readonly db: FakeDb) {}

  async available(): Promise<number | null> {
    return this.db.state.seatsLeft;
  }
  async claim(tx: Tx): Promise<boolean> {
    const state = this.db.inTx(tx);
    this.claimCalls += 1;
    if (this.claimResult !== null) return this.claimResult;
    if (state.seatsLeft === null) return true;
    if (state.seatsLeft <= 0) return false;
    state.seatsLeft -= 1;
    return true;
  }
}

/** The host's policy: at least 12 characters. */
export class FakePasswords implements PasswordsPort {
  constructor(private readonly db: FakeDb) {}
  async setPassword(userId: string, password: string, tx?: Tx): Promise<{ ok: true } | { ok: false; message: string }> {
    const state = this.db.inTx(tx);
    if (password.length < 12) return { ok: false, message: 'Use at least 12 characters.' };
    state.passwords[userId] = password;
    return { ok: true };
  }
}

export class FakeTokens implements TokenRepository, TokenAdminRepository {
  readonly inserts: NewToken[] = [];
  claimCalls = 0;
  findByCodeCalls = 0;
  /** Runs inside claimUse before it decides: lets a test change the token as a concurrent request would. */
  beforeClaim: (() => void) | null = null;
  constructor(private readonly db: FakeDb) {}

  async insert(token: NewToken): Promise<Token | null> {
    this.inserts.push(token);
    const state = this.db.state;
    if (Object.values(state.tokenCodes).includes(token.normalisedCode)) return null;
    const created: Token = {
      id: this.db.newId('token-'), item: token.item, nickname: token.nickname, code: token.displayCode, custom: token.custom,
      enabled: true, expiresAt: token.expiresAt, maxUses: token.maxUses, uses: 0, createdBy: token.createdBy,
      createdAt: new Date('2026-01-01T00:00:00Z'), lastUsedAt: null,
      createdByName: token.createdByName ?? null,
    };
    state.tokens.push(created);
    state.tokenCodes[created.id] = token.normalisedCode;
    return created;
  }
  async listForItem(item: KnowledgeRef): Promise<Token[]> {
    return this.db.state.tokens.filter((t) => sameRef(t.item, item));
  }
  async findById(id: string): Promise<Token | null> {
    return this.db.state.tokens.find((t) => t.id === id) ?? null;
  }
  async findByCode(normalisedCode: string): Promise<Token | null> {
    this.findByCodeCalls += 1;
    const id = Object.entries(this.db.state.tokenCodes).find(([, code]) => code === normalisedCode)?.[0];
    return id ? this.findById(id) : null;
  }
  async claimUse(id: string, now: Date, tx: Tx): Promise<Token | null> {
    this.db.inTx(tx);
    this.claimCalls += 1;
    this.beforeClaim?.();
    const state = this.db.state;
    const index = state.tokens.findIndex((t) => t.id === id);
    const t = state.tokens[index];
    if (!t || !t.enabled || (t.expiresAt && t.expiresAt.getTime() <= now.getTime()) || (t.maxUses !== null && t.uses >= t.maxUses)) return null;
    const claimed: Token = { ...t, uses: t.uses + 1, lastUsedAt: now };
    state.tokens[index] = claimed;
    return claimed;
  }
  // Token management
  readonly locked: string[] = [];
  async lockById(id: string, tx: Tx): Promise<Token | null> {
    this.db.inTx(tx);
    this.locked.push(id);
    return this.findById(id);
  }
  async update(id: string, update: TokenUpdate, tx: Tx): Promise<Token | null> {
    const state = this.db.inTx(tx);
    const index = state.tokens.findIndex((t) => t.id === id);
    const t = state.tokens[index];
    if (!t) return null;
    const { updatedBy: _by, ...patch } = update;
    const next: Token = { ...t, ...patch };
    state.tokens[index] = next;
    return next;
  }
  async deleteById(id: string, tx: Tx): Promise<boolean> {
    const state = this.db.inTx(tx);
    const before = state.tokens.length;
    state.tokens = state.tokens.filter((t) => t.id !== id);
    delete state.tokenCodes[id];
    return state.tokens.length < before;
  }
  readonly searches: TokenQuery[] = [];
  async search(query: TokenQuery): Promise<TokenPage> {
    this.searches.push(query);
    const codes = this.db.state.tokenCodes;
    let list = [...this.db.state.tokens].reverse().filter((t) => {
      if (query.item && !sameRef(t.item, query.item)) return false;
      if (query.itemType && t.item.type !== query.itemType) return false;
      if (query.status && tokenStatus(t, query.now) !== query.status) return false;
      if (query.text) {
        const q = query.text;
        const hit = (t.nickname ?? '').toLowerCase().includes(q.nickname.toLowerCase()) || (q.normalisedCode !== null && codes[t.id] === q.normalisedCode) || q.items.some((i) => sameRef(i, t.item));
        if (!hit) return false;
      }
      return true;
    });
    const total = list.length;
    if (query.beforeId) {
      const at = list.findIndex((t) => t.id === query.beforeId);
      list = at < 0 ? [] : list.slice(at + 1);
    }
    return { tokens: list.slice(0, query.limit), total, hasMore: list.length > query.limit };
  }

  async deleteForItem(item: KnowledgeRef): Promise<number> {
    const state = this.db.state;
    const gone = state.tokens.filter((t) => sameRef(t.item, item));
    state.tokens = state.tokens.filter((t) => !sameRef(t.item, item));
    for (const t of gone) delete state.tokenCodes[t.id];
    return gone.length;
  }
  async deleteAllForItem(item: KnowledgeRef, tx: Tx): Promise<Token[]> {
    const state = this.db.inTx(tx);
    const gone = state.tokens.filter((t) => sameRef(t.item, item));
    state.tokens = state.tokens.filter((t) => !sameRef(t.item, item));
    for (const t of gone) delete state.tokenCodes[t.id];
    return gone;
  }
}

export class FakeRegistrations implements RegistrationRepository {
  constructor(private readonly db: FakeDb) {}
  async record(entry: RegistrationRecord, tx: Tx): Promise<void> {
    this.db.inTx(tx).registrations.push(entry);
  }
}

export class FakeLinks implements EmailLinkRepository {
  findCalls = 0;
  constructor(private readonly db: FakeDb) {}

  async issue(
    input: { userId: string; purpose: EmailLinkPurpose; item: KnowledgeRef | null; tokenId: string | null; secretDigest: string; expiresAt: Date; now: Date; consent?: ConsentRecord | null },
    tx: Tx,
  ): Promise<EmailLink> {
    const state = this.db.inTx(tx);
    state.links = state.links.map((l) =>
      l.userId === input.userId && l.purpose === input.purpose && !l.usedAt && !l.revokedAt ? { ...l, revokedAt: input.now } : l,
    );
    const link: StoredLink = {
      id: this.db.newId('link-'), userId: input.userId, purpose: input.purpose, item: input.item, tokenId: input.tokenId,
      expiresAt: input.expiresAt, usedAt: null, revokedAt: null, secretDigest: input.secretDigest,
      ...(input.consent && { consent: input.consent }),
    };
    state.links.push(link);
    return link;
  }
  async findByDigest(secretDigest: string): Promise<EmailLink | null> {
    this.findCalls += 1;
    return this.db.state.links.find((l) => l.secretDigest === secretDigest) ?? null;
  }
  async consume(id: string, now: Date, tx: Tx): Promise<boolean> {
    const state = this.db.inTx(tx);
    const index = state.links.findIndex((l) => l.id === id);
    const l = state.links[index];
    if (!l || l.usedAt || l.revokedAt || l.expiresAt.getTime() <= now.getTime()) return false;
    state.links[index] = { ...l, usedAt: now };
    return true;
  }
  async revokeForUser(userId: string): Promise<number> {
    const state = this.db.state;
    let n = 0;
    state.links = state.links.map((l) => (l.userId === userId && !l.usedAt && !l.revokedAt ? (n++, { ...l, revokedAt: new Date() }) : l));
    return n;
  }
  async invitationPending(userId: string): Promise<boolean> {
    const invitations = this.db.state.links.filter((l) => l.userId === userId && l.purpose === 'invitation');
    return invitations.length > 0 && invitations.every((l) => !l.usedAt);
  }
}

export class FakeOutbox implements OutboxPort {
  constructor(private readonly db: FakeDb) {}
  async enqueue(mail: OutgoingMail, tx: Tx): Promise<void> {
    this.db.inTx(tx).outbox.push(mail);
  }
}

export class FakeSettings implements SettingsRepository {
  constructor(private readonly db: FakeDb) {}
  async portalEnabled(): Promise<boolean> {
    return this.db.state.portalEnabled;
  }
  async setPortalEnabled(enabled: boolean): Promise<void> {
    this.db.state.portalEnabled = enabled;
  }
  private stored: Branding = DEFAULT_BRANDING;
  async branding(): Promise<Branding> {
    return this.stored;
  }
  async setBranding(branding: Branding): Promise<void> {
    this.stored = branding;
  }
}

export class FakeLogger implements LoggerPort {
  readonly lines: { level: string; message: string }[] = [];
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
}

export const NOW = new Date('2026-03-01T10:00:00.000Z');

export const PORTAL: PortalInfo = {
  name: 'Acme Academy',
  primaryAdminEmail: 'admin@acme.test',
  publicBaseUrl: 'https://learn.acme.test',
  timeZone: 'Europe/London',
};

/** Every fake, wired to one FakeDb. */
export function makeWorld(now: Date = NOW) {
  const db = new FakeDb();
  const world = {
    db,
    uow: new FakeUnitOfWork(db),
    clock: new FakeClock(now),
    random: new FakeRandom(),
    hasher: sha256Hasher,
    users: new FakeUsers(db),
    enrolments: new FakeEnrolments(db),
    catalogue: new FakeCatalogue(db),
    portal: new FakePortal(PORTAL),
    seats: new FakeSeats(db),
    passwords: new FakePasswords(db),
    tokens: new FakeTokens(db),
    registrations: new FakeRegistrations(db),
    links: new FakeLinks(db),
    outbox: new FakeOutbox(db),
    settings: new FakeSettings(db),
    logger: new FakeLogger(),
    audit: new FakeAudit(db),
    apiKeys: new FakeApiKeys(db),
    tokenRegistrations: new FakeTokenRegistrations(db),
  };
  const ports: RegistrationPorts = world;
  return { ...world, ports };
}

export type World = ReturnType<typeof makeWorld>;

// Seeding helpers: they write straight into the state, as data already committed.

export function item(type: KnowledgeType, id: string, overrides: Partial<KnowledgeItem> = {}): KnowledgeItem {
  return { ref: { type, id }, title: `${type} ${id}`, origin: 'own', learnerUrl: `/learn/${type}/${id}`, ...overrides };
}

export function user(id: string, overrides: Partial<HostUser> = {}): HostUser {
  return { id, email: `${id}@example.com`, firstName: 'First', lastName: 'Last', type: 'client', role: null, status: 'active', ...overrides };
}

export function seedToken(db: FakeDb, id: string, normalisedCode: string, itemRef: KnowledgeRef, overrides: Partial<Token> = {}): Token {
  const token: Token = {
    id, item: itemRef, nickname: null, custom: false, enabled: true, expiresAt: null, maxUses: null, uses: 0,
    createdBy: 'admin', createdAt: new Date('2026-01-01T00:00:00Z'), lastUsedAt: null, ...overrides,
  };
  db.state.tokens.push(token);
  db.state.tokenCodes[id] = normalisedCode;
  return token;
}

export function tokenIn(db: FakeDb, id: string): Token {
  const token = db.state.tokens.find((t) => t.id === id);
  if (!token) throw new Error(`no token ${id}`);
  return token;
}

// ---- Token management ---------------------------------------------------------------------

/** The audit log in the shared state, so a rolled-back unit of work takes its entries with it. */
export class FakeAudit implements AuditRepository {
  constructor(private readonly db: FakeDb) {}
  get entries(): AuditEntry[] {
    return (this.db.state.audit ??= []);
  }
  async append(entries: readonly NewAuditEntry[], tx?: Tx): Promise<void> {
    if (tx) this.db.inTx(tx);
    const log = (this.db.state.audit ??= []);
    for (const e of entries) log.push({ ...e, id: this.db.newId('audit-') });
  }
  async list(query: AuditQuery): Promise<{ entries: AuditEntry[]; hasMore: boolean }> {
    let list = [...(this.db.state.audit ?? [])].reverse().filter(
      (e) => (!query.item || (e.item !== null && sameRef(e.item, query.item))) && (!query.tokenId || e.tokenId === query.tokenId),
    );
    if (query.beforeId) {
      const at = list.findIndex((e) => e.id === query.beforeId);
      list = at < 0 ? [] : list.slice(at + 1);
    }
    return { entries: list.slice(0, query.limit), hasMore: list.length > query.limit };
  }
}

export class FakeApiKeys implements ApiKeyRepository {
  readonly touches: { id: string; at: Date }[] = [];
  constructor(private readonly db: FakeDb) {}
  private get keys(): (ApiKey & { digest: string })[] {
    return (this.db.state.apiKeys ??= []);
  }
  async insert(key: NewApiKey): Promise<ApiKey> {
    const stored = {
      id: this.db.newId('key-'), name: key.name, hint: key.hint, createdBy: key.createdBy, createdByName: key.createdByName,
      createdAt: key.createdAt, lastUsedAt: null, revokedAt: null, revokedByName: null, digest: key.digest,
    };
    this.keys.push(stored);
    const { digest: _d, ...apiKey } = stored;
    return apiKey;
  }
  async list(): Promise<ApiKey[]> {
    return [...this.keys].reverse().map(({ digest: _d, ...k }) => k);
  }
  async findById(id: string): Promise<ApiKey | null> {
    const k = this.keys.find((x) => x.id === id);
    if (!k) return null;
    const { digest: _d, ...apiKey } = k;
    return apiKey;
  }
  async findActiveByDigest(digest: string): Promise<ApiKey | null> {
    const k = this.keys.find((x) => x.digest === digest && !x.revokedAt);
    if (!k) return null;
    const { digest: _d, ...apiKey } = k;
    return apiKey;
  }
  async revoke(id: string, by: { id: string; name: string }, at: Date): Promise<ApiKey | null> {
    const index = this.keys.findIndex((x) => x.id === id && !x.revokedAt);
    if (index < 0) return null;
    const k = { ...this.keys[index]!, revokedAt: at, revokedByName: by.name };
    this.keys[index] = k;
    const { digest: _d, ...apiKey } = k;
    return apiKey;
  }
  async touch(id: string, at: Date): Promise<void> {
    this.touches.push({ id, at });
    const index = this.keys.findIndex((x) => x.id === id);
    if (index >= 0) this.keys[index] = { ...this.keys[index]!, lastUsedAt: at };
  }
}

/** Registrations of a token, read from the registrations the fakes recorded (ids are their positions). */
export class FakeTokenRegistrations implements TokenRegistrationQuery {
  constructor(private readonly db: FakeDb) {}
  async listForToken(tokenId: string, page: { limit: number; beforeId?: string }): Promise<{ registrations: TokenRegistration[]; total: number; hasMore: boolean }> {
    let list = this.db.state.registrations
      .map((r, i) => ({ id: String(i + 1), userId: r.userId, newUser: r.newUser, at: r.at, item: r.item, tokenNickname: r.tokenNickname, tokenId: r.tokenId }))
      .filter((r) => r.tokenId === tokenId)
      .reverse();
    const total = list.length;
    if (page.beforeId) list = list.filter((r) => Number(r.id) < Number(page.beforeId));
    return { registrations: list.slice(0, page.limit).map(({ tokenId: _t, ...r }) => r), total, hasMore: list.length > page.limit };
  }
}

/** Abuse limits in memory: counts every call; `deny` makes a kind answer "over the limit" (for consume and peek). */
export class FakeRateLimiter implements RateLimitPort {
  readonly calls: string[] = [];
  readonly counts = new Map<string, number>();
  /** Kinds over their limit, with the seconds to wait. */
  deny: Partial<Record<RateLimitKind, number>> = {};
  /** Optional real limits: more than `points` consumes of one key are refused. */
  constructor(private readonly points: Partial<Record<RateLimitKind, number>> = {}) {}

  async consume(kind: RateLimitKind, key: string): Promise<RateLimitVerdict> {
    this.calls.push(`consume ${kind} ${key}`);
    const n = (this.counts.get(`${kind}:${key}`) ?? 0) + 1;
    this.counts.set(`${kind}:${key}`, n);
    const max = this.points[kind];
    if (this.deny[kind] !== undefined) return { allowed: false, retryAfterSeconds: this.deny[kind]! };
    return max !== undefined && n > max ? { allowed: false, retryAfterSeconds: 60 } : { allowed: true, retryAfterSeconds: 0 };
  }

  async peek(kind: RateLimitKind, key: string): Promise<RateLimitVerdict> {
    this.calls.push(`peek ${kind} ${key}`);
    const max = this.points[kind];
    if (this.deny[kind] !== undefined) return { allowed: false, retryAfterSeconds: this.deny[kind]! };
    return max !== undefined && (this.counts.get(`${kind}:${key}`) ?? 0) >= max ? { allowed: false, retryAfterSeconds: 60 } : { allowed: true, retryAfterSeconds: 0 };
  }
}

/** Seat-limit alerts as told: the items of every call. */
export class FakeSeatAlerts implements SeatAlerts {
  readonly items: KnowledgeItem[] = [];
  fail = false;
  async seatsExhausted(item: KnowledgeItem): Promise<void> {
    if (this.fail) throw new Error('outbox down');
    this.items.push(item);
  }
}
