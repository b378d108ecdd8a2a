import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { auditActor, changeEntries, createdEntry, deletedEntry, displayName, PANEL, type AuditEntry, type Channel } from '../../domain/audit/audit.js';
import { expiryChange, expiryFromDate } from '../../domain/tokens/expiry.js';
import { isValidTimeZone } from '../../domain/shared/time-zone.js';
import { canHaveTokens, type KnowledgeItem, type KnowledgeRef, type KnowledgeType } from '../../domain/shared/knowledge.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import { TokenCode } from '../../domain/tokens/token-code.js';
import {
  hasChanges, planTokenChange, tokenStatus, validateMaxUses, validateNickname, type Token, type TokenPatch, type TokenStatus,
} from '../../domain/tokens/token.js';
import { canManageTokens, type HostUser, type UserType } from '../../domain/shared/user.js';
import type { CataloguePort, PortalPort, UsersPort } from '../../domain/ports/host.ports.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { RandomSource } from '../../domain/ports/random.port.js';
import type { NewToken } from '../../domain/ports/repositories.port.js';
import type { AuditRepository, TokenAdminRepository, TokenRegistrationQuery, TokenTextSearch } from '../../domain/ports/token-admin.port.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.port.js';

export interface TokenView extends Token {
  readonly status: TokenStatus;
  /** Who created it, by name (the snapshot, else the host's current name), if known. */
  readonly createdByName: string | null;
}

export interface ItemTokens {
  readonly item: KnowledgeItem;
  /** False for library content: the panel explains instead of listing. */
  readonly tokensAllowed: boolean;
  readonly tokens: readonly TokenView[];
}

/** A token with its item as the host knows it now (null when the item has gone). */
export interface TokenWithItem extends TokenView {
  readonly itemInfo: KnowledgeItem | null;
}

export interface CreateTokenInput {
  readonly nickname?: string | null;
  /** Blank or absent: a generated code. */
  readonly customCode?: string | null;
  /** A calendar date (YYYY-MM-DD): the token works until the end of that day in the portal's time zone. */
  readonly expiresOn?: string | null;
  /** An exact instant, for callers that already have one (takes effect when expiresOn is absent). */
  readonly expiresAt?: Date | null;
  /** Blank: unlimited. */
  readonly maxUses?: number | null;
}

/** What an admin may change. Absent: unchanged; null: cleared. */
export interface UpdateTokenInput {
  readonly nickname?: string | null;
  readonly expiresOn?: string | null;
  readonly maxUses?: number | null;
  readonly enabled?: boolean;
}

export interface TokenSearchInput {
  /** Free text: nickname, the whole code (any spelling), or an item's title. */
  readonly q?: string;
  readonly status?: TokenStatus;
  readonly itemType?: KnowledgeType;
  readonly item?: KnowledgeRef;
  /** 1–100; default 25. */
  readonly limit?: number;
  /** Continue after this token id (from `nextBeforeId`). */
  readonly beforeId?: string;
}

export interface TokenSearchResult {
  readonly tokens: readonly TokenWithItem[];
  readonly total: number;
  /** Pass as `beforeId` for the next page; null on the last page. */
  readonly nextBeforeId: string | null;
}

export interface ActivityResult {
  readonly entries: readonly AuditEntry[];
  readonly nextBeforeId: string | null;
}

export interface RegistrantView {
  readonly id: string;
  readonly at: Date;
  readonly newUser: boolean;
  readonly item: KnowledgeRef;
  readonly tokenNickname: string | null;
  /** The person as the host knows them now; null when the account has been deleted. */
  readonly user: { readonly id: string; readonly email: string; readonly firstName: string; readonly lastName: string; readonly type: UserType } | null;
}

export interface RegistrationsResult {
  readonly registrations: readonly RegistrantView[];
  readonly total: number;
  readonly nextBeforeId: string | null;
}

export interface TokenAdminPorts {
  readonly uow: UnitOfWork;
  readonly tokens: TokenAdminRepository;
  readonly audit: AuditRepository;
  readonly registrations: TokenRegistrationQuery;
  readonly catalogue: CataloguePort;
  readonly portal: PortalPort;
  readonly users: UsersPort;
  readonly random: RandomSource;
  readonly clock: ClockPort;
}

const GENERATION_ATTEMPTS = 5;
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
const MAX_TITLE_MATCHES = 1000;

const pageSize = (limit: number | undefined): number =>
  limit === undefined || !Number.isInteger(limit) ? DEFAULT_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, Math.max(1, limit));

const denied = (): { ok: false; error: Refusal } => err(refuse(ErrorCodes.PERMISSION_DENIED));
const notFound = (): { ok: false; error: Refusal } => err(refuse(ErrorCodes.TOKEN_NOT_FOUND));

/**
 * Admin use cases on tokens: list, search, create, edit, deactivate, reactivate, delete, and the
 * audit log. Every method checks permission itself (adapters cannot forget to), validates before it
 * writes, and writes the change and its audit entries in one transaction.
 */
export class TokensService {
  constructor(private readonly p: TokenAdminPorts) {}

  async listForItem(actor: HostUser | null, ref: KnowledgeRef): Promise<Result<ItemTokens, Refusal>> {
    if (!canManageTokens(actor)) return denied();
    const item = await this.p.catalogue.get(ref);
    if (!item) return err(refuse(ErrorCodes.KNOWLEDGE_NOT_FOUND));
    if (!canHaveTokens(item).ok) return ok({ item, tokensAllowed: false, tokens: [] });
    // Newest first: the token just made is on top.
    const tokens = await this.views([...(await this.p.tokens.listForItem(ref))].reverse());
    return ok({ item, tokensAllowed: true, tokens });
  }

  async get(actor: HostUser | null, id: string): Promise<Result<TokenWithItem, Refusal>> {
    if (!canManageTokens(actor)) return denied();
    const token = await this.p.tokens.findById(id);
    if (!token) return notFound();
    const [view] = await this.views([token]);
    return ok({ ...view!, itemInfo: await this.p.catalogue.get(token.item) });
  }

  /** The portal-wide list: every token across items, filtered and searched, newest first. */
  async search(actor: HostUser | null, input: TokenSearchInput): Promise<Result<TokenSearchResult, Refusal>> {
    if (!canManageTokens(actor)) return denied();
    const limit = pageSize(input.limit);
    const q = (input.q ?? '').trim().slice(0, 100);
    let text: TokenTextSearch | undefined;
    if (q !== '') {
      const code = TokenCode.fromInput(q);
      const needle = q.toLocaleLowerCase();
      const items = (await this.p.catalogue.list(input.itemType ? { type: input.itemType } : undefined))
        .filter((i) => i.title.toLocaleLowerCase().includes(needle))
        .slice(0, MAX_TITLE_MATCHES)
        .map((i) => i.ref);
      text = { nickname: q, normalisedCode: code.ok ? code.value.normalised : null, items };
    }
    const page = await this.p.tokens.search({
      now: this.p.clock.now(),
      limit,
      ...(input.item && { item: input.item }),
      ...(input.itemType && { itemType: input.itemType }),
      ...(input.status && { status: input.status }),
      ...(text && { text }),
      ...(input.beforeId && { beforeId: input.beforeId }),
    });
    const views = await this.views(page.tokens);
    const items = await this.itemsOf(views.map((t) => t.item));
    return ok({
      tokens: views.map((t) => ({ ...t, itemInfo: items.get(refKey(t.item)) ?? null })),
      total: page.total,
      nextBeforeId: page.hasMore && page.tokens.length > 0 ? page.tokens[page.tokens.length - 1]!.id : null,
    });
  }

  async create(actor: HostUser | null, ref: KnowledgeRef, input: CreateTokenInput, channel: Channel = PANEL): Promise<Result<Token, Refusal>> {
    if (!canManageTokens(actor)) return denied();
    const item = canHaveTokens(await this.p.catalogue.get(ref));
    if (!item.ok) return item;
    const nickname = validateNickname(input.nickname);
    if (!nickname.ok) return nickname;
    const now = this.p.clock.now();
    let expiresAt: Date | null = input.expiresAt ?? null;
    if (input.expiresOn !== undefined && input.expiresOn !== null && input.expiresOn.trim() !== '') {
      const expiry = expiryFromDate(input.expiresOn, await this.timeZone(), now);
      if (!expiry.ok) return expiry;
      expiresAt = expiry.value;
    }
    const maxUses = validateMaxUses(input.maxUses);
    if (!maxUses.ok) return maxUses;
    const customInput = input.customCode?.trim();
    const custom = customInput ? TokenCode.custom(customInput) : null;
    if (custom && !custom.ok) return custom;

    const base = {
      item: item.value.ref,
      nickname: nickname.value,
      expiresAt,
      maxUses: maxUses.value,
      createdBy: actor!.id,
      createdByName: displayName(actor!),
    };
    const actorEntry = auditActor(actor!, channel);
    return this.p.uow.run(async (tx) => {
      let created: Token | null = null;
      if (custom) {
        created = await this.p.tokens.insert({ ...base, normalisedCode: custom.value.normalised, displayCode: custom.value.display, custom: true }, tx);
        if (!created) return err(refuse(ErrorCodes.TOKEN_CODE_TAKEN, 'That code is already in use. Choose another.'));
      } else {
        // 60 random bits make a collision vanishingly rare; retrying keeps it from ever surfacing.
        for (let attempt = 0; attempt < GENERATION_ATTEMPTS && !created; attempt++) {
          const code = TokenCode.generate(this.p.random);
          const candidate: NewToken = { ...base, normalisedCode: code.normalised, displayCode: code.display, custom: false };
          created = await this.p.tokens.insert(candidate, tx);
        }
        if (!created) return err(refuse(ErrorCodes.TOKEN_CODE_TAKEN));
      }
      await this.p.audit.append([createdEntry(created, actorEntry, now)], tx);
      return ok(created);
    });
  }

  /** Edits nickname, expiry, max uses and the enabled flag; records one audit entry per kind of change. */
  async update(actor: HostUser | null, id: string, input: UpdateTokenInput, channel: Channel = PANEL): Promise<Result<TokenView, Refusal>> {
    if (!canManageTokens(actor)) return denied();
    const existing = await this.p.tokens.findById(id);
    if (!existing) return notFound();
    // Library content (or an item that has gone) can have no live token: only switching off stays allowed.
    const onlyDisabling = Object.keys(input).every((k) => k === 'enabled') && input.enabled === false;
    if (!onlyDisabling) {
      const item = canHaveTokens(await this.p.catalogue.get(existing.item));
      if (!item.ok) return item;
    }
    let nickname: string | null | undefined;
    if (input.nickname !== undefined) {
      const checked = validateNickname(input.nickname);
      if (!checked.ok) return checked;
      nickname = checked.value;
    }
    let maxUses: number | null | undefined;
    if (input.maxUses !== undefined) {
      const checked = validateMaxUses(input.maxUses);
      if (!checked.ok) return checked;
      maxUses = checked.value;
    }
    // Read before the transaction: it must only ever wait on itself.
    const timeZone = input.expiresOn !== undefined ? await this.timeZone() : null;
    const now = this.p.clock.now();
    const actorEntry = auditActor(actor!, channel);

    return this.p.uow.run(async (tx) => {
      const current = await this.p.tokens.lockById(id, tx);
      if (!current) return notFound();
      let expiresAt: Date | null | undefined;
      if (input.expiresOn !== undefined) {
        const checked = expiryChange(current.expiresAt, input.expiresOn, timeZone!, now);
        if (!checked.ok) return checked;
        expiresAt = checked.value;
      }
      const patch: TokenPatch = {
        ...(nickname !== undefined && { nickname }),
        ...(expiresAt !== undefined && { expiresAt }),
        ...(maxUses !== undefined && { maxUses }),
        ...(input.enabled !== undefined && { enabled: input.enabled }),
      };
      const plan = planTokenChange(current, patch);
      if (!plan.ok) return plan;
      if (!hasChanges(plan.value)) return ok((await this.views([current]))[0]!);
      const updated = await this.p.tokens.update(id, { ...plan.value, updatedBy: actor!.id, updatedAt: now }, tx);
      if (!updated) return notFound();
      await this.p.audit.append(changeEntries(current, plan.value, actorEntry, now), tx);
      return ok((await this.views([updated]))[0]!);
    });
  }

  setEnabled(actor: HostUser | null, id: string, enabled: boolean, channel: Channel = PANEL): Promise<Result<TokenView, Refusal>> {
    return this.update(actor, id, { enabled }, channel);
  }

  /**
   * Deletes the token: its code (digest and ciphertext) is destroyed with the row and never works
   * again; registrations made with it remain with the nickname only; the audit log keeps its history.
   */
  async delete(actor: HostUser | null, id: string, channel: Channel = PANEL): Promise<Result<Token, Refusal>> {
    if (!canManageTokens(actor)) return denied();
    const now = this.p.clock.now();
    const actorEntry = auditActor(actor!, channel);
    return this.p.uow.run(async (tx) => {
      const current = await this.p.tokens.lockById(id, tx);
      if (!current || !(await this.p.tokens.deleteById(id, tx))) return notFound();
      await this.p.audit.append([deletedEntry(current, actorEntry, now)], tx);
      return ok(current);
    });
  }

  /** The audit log, newest first: of one item, of one token, or of the whole portal. */
  async activity(
    actor: HostUser | null,
    query: { item?: KnowledgeRef; tokenId?: string; limit?: number; beforeId?: string } = {},
  ): Promise<Result<ActivityResult, Refusal>> {
    if (!canManageTokens(actor)) return denied();
    const limit = pageSize(query.limit);
    const page = await this.p.audit.list({
      limit,
      ...(query.item && { item: query.item }),
      ...(query.tokenId && { tokenId: query.tokenId }),
      ...(query.beforeId && { beforeId: query.beforeId }),
    });
    return ok({ entries: page.entries, nextBeforeId: page.hasMore && page.entries.length > 0 ? page.entries[page.entries.length - 1]!.id : null });
  }

  /** The people who registered with a token, newest first. */
  async registrations(actor: HostUser | null, tokenId: string, query: { limit?: number; beforeId?: string } = {}): Promise<Result<RegistrationsResult, Refusal>> {
    if (!canManageTokens(actor)) return denied();
    if (!(await this.p.tokens.findById(tokenId))) return notFound();
    const page = await this.p.registrations.listForToken(tokenId, { limit: pageSize(query.limit), ...(query.beforeId && { beforeId: query.beforeId }) });
    const people = new Map<string, HostUser | null>();
    for (const r of page.registrations) if (!people.has(r.userId)) people.set(r.userId, await this.p.users.findById(r.userId));
    const registrations = page.registrations.map((r) => {
      const u = people.get(r.userId) ?? null;
      return { ...r, user: u && { id: u.id, email: u.email, firstName: u.firstName, lastName: u.lastName, type: u.type } };
    });
    const last = page.registrations[page.registrations.length - 1];
    return ok({ registrations, total: page.total, nextBeforeId: page.hasMore && last ? last.id : null });
  }

  /** Status at the clock's now, and the creator's name (snapshot, else the host's current name). */
  private async views(tokens: readonly Token[]): Promise<TokenView[]> {
    const now = this.p.clock.now();
    const names = new Map<string, string | null>();
    for (const t of tokens) {
      if (t.createdByName || !t.createdBy || names.has(t.createdBy)) continue;
      const u = await this.p.users.findById(t.createdBy);
      names.set(t.createdBy, u ? displayName(u) : null);
    }
    return tokens.map((t) => ({
      ...t,
      status: tokenStatus(t, now),
      createdByName: t.createdByName ?? (t.createdBy ? names.get(t.createdBy) ?? null : null),
    }));
  }

  /** The portal's time zone; UTC if the host ever hands over a name Intl does not know. */
  private async timeZone(): Promise<string> {
    const { timeZone } = await this.p.portal.info();
    return isValidTimeZone(timeZone) ? timeZone : 'UTC';
  }

  private async itemsOf(refs: readonly KnowledgeRef[]): Promise<Map<string, KnowledgeItem | null>> {
    const out = new Map<string, KnowledgeItem | null>();
    for (const ref of refs) {
      const key = refKey(ref);
      if (!out.has(key)) out.set(key, await this.p.catalogue.get(ref));
    }
    return out;
  }
}

const refKey = (ref: KnowledgeRef): string => `${ref.type}:${ref.id}`;
