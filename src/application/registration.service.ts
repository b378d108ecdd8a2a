import { ErrorCodes, refuse, type Refusal } from '../domain/errors.js';
import { canHaveTokens, type KnowledgeItem } from '../domain/knowledge.js';
import {
  checkEmailLink, decideRegistration, INVITATION_TTL_MS, SIGN_IN_LINK_TTL_MS,
  type EmailLinkPurpose, type RegistrationRefusal,
} from '../domain/registration.js';
import { TokenCode } from '../domain/token-code.js';
import { checkUsable, type Token } from '../domain/token.js';
import { normaliseEmail, PROSPECT, type HostUser } from '../domain/user.js';
import type {
  CataloguePort, EnrolmentsPort, PasswordsPort, PortalPort, SeatsPort, UsersPort,
} from '../domain/ports/host.ports.js';
import type { ClockPort } from '../domain/ports/clock.port.js';
import type { LoggerPort } from '../domain/ports/logger.port.js';
import type { RandomSource } from '../domain/ports/random.port.js';
import type {
  EmailLink, EmailLinkRepository, EnrolmentListener, OutboxPort, RegistrationRepository, SecretHasher, SettingsRepository, TokenRepository,
} from '../domain/ports/repositories.port.js';
import type { Tx, UnitOfWork } from '../domain/ports/unit-of-work.port.js';

export interface RegistrantInput {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly code: string;
}

/**
 * `accepted` is deliberately the same for a new person, an existing account and a suspended one:
 * the page must not tell a visitor whether an email is known.
 */
export type RegistrationOutcome = { readonly kind: 'accepted' } | { readonly kind: 'refused'; readonly reason: RegistrationRefusal };

export type PreviewOutcome =
  | { readonly kind: 'usable'; readonly code: string; readonly item: KnowledgeItem }
  | { readonly kind: 'refused'; readonly reason: RegistrationRefusal };

export type LinkInspection =
  | { readonly ok: true; readonly purpose: EmailLinkPurpose; readonly user: HostUser; readonly item: KnowledgeItem | null }
  | { readonly ok: false; readonly reason: Refusal };

export type LinkCompletion =
  | { readonly ok: true; readonly userId: string; readonly redirectTo: string }
  | { readonly ok: false; readonly reason: Refusal; readonly message?: string };

export interface RegistrationPorts {
  readonly uow: UnitOfWork;
  readonly tokens: TokenRepository;
  readonly registrations: RegistrationRepository;
  readonly links: EmailLinkRepository;
  readonly outbox: OutboxPort;
  readonly settings: SettingsRepository;
  readonly users: UsersPort;
  readonly enrolments: EnrolmentsPort;
  readonly catalogue: CataloguePort;
  readonly portal: PortalPort;
  readonly seats: SeatsPort;
  readonly passwords: PasswordsPort;
  readonly random: RandomSource;
  readonly hasher: SecretHasher;
  readonly clock: ClockPort;
  readonly logger: LoggerPort;
  /** Told of each external enrolment inside its transaction (admin notifications). */
  readonly enrolmentListeners?: readonly EnrolmentListener[];
}

const answer = (refusal: RegistrationRefusal | null): RegistrationOutcome =>
  refusal ? { kind: 'refused', reason: refusal } : { kind: 'accepted' };

/** Thrown inside a unit of work to roll it back with an outcome; never escapes this module. */
class Rollback<T> {
  constructor(readonly outcome: T) {}
}

const LINK_SECRET_BYTES = 32;
export const LINK_PATHS: Record<EmailLinkPurpose, string> = {
  invitation: '/self-registration/invitation/',
  sign_in: '/self-registration/sign-in/',
};

/** The public side: preview a code, register, and complete the emailed links. */
export class RegistrationService {
  constructor(private readonly p: RegistrationPorts) {}

  /** What the deep-link page shows for a code; reads only, never consumes. */
  async preview(codeInput: string): Promise<PreviewOutcome> {
    if (!(await this.p.settings.portalEnabled())) return { kind: 'refused', reason: refuse(ErrorCodes.REGISTRATION_UNAVAILABLE) };
    const found = await this.resolveToken(codeInput);
    if (!found) return { kind: 'refused', reason: refuse(ErrorCodes.TOKEN_NOT_RECOGNISED) };
    const usable = checkUsable(found.token, this.p.clock.now());
    if (!usable.ok) return { kind: 'refused', reason: usable.error };
    const item = canHaveTokens(await this.p.catalogue.get(found.token.item));
    if (!item.ok) return { kind: 'refused', reason: refuse(ErrorCodes.TOKEN_NOT_RECOGNISED) };
    return { kind: 'usable', code: found.token.code ?? found.code.display, item: item.value };
  }

  async register(input: RegistrantInput): Promise<RegistrationOutcome> {
    // Read before the transaction: a transaction must only ever wait on itself (PGlite has one connection).
    const portalEnabled = await this.p.settings.portalEnabled();
    const { publicBaseUrl } = await this.p.portal.info();
    const code = TokenCode.fromInput(input.code);
    const email = normaliseEmail(input.email);
    try {
      return await this.p.uow.run(async (tx) => {
        const token = code.ok ? await this.p.tokens.findByCode(code.value.normalised, tx) : null;
        const item = token ? await this.p.catalogue.get(token.item, tx) : null;
        const existingUser = await this.p.users.findByEmail(email, tx);
        const invitationPending = existingUser ? await this.p.links.invitationPending(existingUser.id, tx) : false;
        const seatsLeft = await this.p.seats.available(tx);
        const now = this.p.clock.now();
        const decision = decideRegistration({ portalEnabled, token, item, existingUser, invitationPending, seatsLeft, now });
        switch (decision.kind) {
          case 'refuse':
            return { kind: 'refused', reason: decision.reason } as const;
          case 'silent':
            return answer(decision.answerAs);
          case 'existing_account':
            // Typing a known email proves nothing: the inbox owner gets a sign-in link instead.
            await this.sendLink(tx, publicBaseUrl, 'sign_in', decision.user, decision.item, token!, now);
            return answer(decision.answerAs);
          case 'resend_invitation':
            await this.sendLink(tx, publicBaseUrl, 'invitation', decision.user, decision.item, token!, now);
            return answer(decision.answerAs);
          case 'create_prospect':
            return await this.createProspect(tx, publicBaseUrl, input, email, token!, decision.item, now);
        }
      });
    } catch (e) {
      if (e instanceof Rollback) return e.outcome as RegistrationOutcome;
      throw e;
    }
  }

  private async createProspect(tx: Tx, publicBaseUrl: string, input: RegistrantInput, email: string, token: Token, item: KnowledgeItem, now: Date): Promise<RegistrationOutcome> {
    const claimed = await this.p.tokens.claimUse(token.id, now, tx);
    if (!claimed) {
      // Lost the race for the last use (or the token changed meanwhile): say which state it is in now.
      const current = await this.p.tokens.findById(token.id, tx);
      const state = current ? checkUsable(current, now) : null;
      const reason: RegistrationRefusal = state && !state.ok ? state.error : refuse(ErrorCodes.TOKEN_NOT_RECOGNISED);
      throw new Rollback<RegistrationOutcome>({ kind: 'refused', reason });
    }
    if (!(await this.p.seats.claim(tx))) {
      throw new Rollback<RegistrationOutcome>({ kind: 'refused', reason: refuse(ErrorCodes.SEATS_EXHAUSTED) });
    }
    // The seat claim serialises creators; a twin submit that committed meanwhile is visible now.
    if (await this.p.users.findByEmail(email, tx)) throw new Rollback<RegistrationOutcome>({ kind: 'accepted' });
    const user = await this.p.users.create({ email, firstName: input.firstName, lastName: input.lastName, type: PROSPECT }, tx);
    await this.p.enrolments.enrol(user.id, item.ref, tx);
    await this.recordEnrolment(tx, user, true, item, token, now);
    await this.sendLink(tx, publicBaseUrl, 'invitation', user, item, token, now);
    return { kind: 'accepted' };
  }

  private async sendLink(tx: Tx, publicBaseUrl: string, purpose: EmailLinkPurpose, user: HostUser, item: KnowledgeItem, token: Token, now: Date): Promise<void> {
    const secret = this.p.random.secret(LINK_SECRET_BYTES);
    const ttl = purpose === 'invitation' ? INVITATION_TTL_MS : SIGN_IN_LINK_TTL_MS;
    const expiresAt = new Date(now.getTime() + ttl);
    await this.p.links.issue({ userId: user.id, purpose, item: item.ref, tokenId: token.id, secretDigest: this.p.hasher.hash(secret), expiresAt, now }, tx);
    await this.p.outbox.enqueue({
      to: user.email,
      template: purpose === 'invitation' ? 'invitation' : 'sign-in-link',
      data: {
        firstName: user.firstName,
        itemTitle: item.title,
        itemType: item.ref.type,
        link: publicBaseUrl.replace(/\/+$/, '') + LINK_PATHS[purpose] + secret,
        expiresAt: expiresAt.toISOString(),
      },
    }, tx);
  }

  /** For the confirm page a GET of an emailed link shows; consumes nothing. */
  async inspectLink(purpose: EmailLinkPurpose, secret: string): Promise<LinkInspection> {
    const link = await this.findLink(purpose, secret);
    const state = checkEmailLink(link, this.p.clock.now());
    if (!state.ok) return { ok: false, reason: state.reason };
    const user = await this.p.users.findById(link!.userId);
    if (!user || user.status !== 'active') return { ok: false, reason: refuse(ErrorCodes.LINK_INVALID) };
    const item = link!.item ? await this.p.catalogue.get(link!.item) : null;
    return { ok: true, purpose, user, item };
  }

  /** Invitation: set the password and consume the link, as one; the adapter then signs the user in. */
  async acceptInvitation(secret: string, password: string): Promise<LinkCompletion> {
    return this.completeLink('invitation', secret, async (link, tx) => {
      const set = await this.p.passwords.setPassword(link.userId, password, tx);
      return set.ok ? null : { ok: false, reason: refuse(ErrorCodes.PASSWORD_REJECTED), message: set.message };
    });
  }

  /** Sign-in link of an existing account: consume it and enrol, as one; the adapter then signs the user in. */
  async useSignInLink(secret: string): Promise<LinkCompletion> {
    return this.completeLink('sign_in', secret, async () => null);
  }

  /**
   * Enrols the link's user in the link's item if they are not enrolled yet, taking a use of the
   * token then (a sign-in link, or a re-sent invitation for another item). Nothing to do when the
   * token or item has gone or the token can no longer be used: the person is still signed in.
   */
  private async enrolThroughLink(link: EmailLink, tx: Tx, now: Date): Promise<void> {
    if (!link.item || !link.tokenId) return;
    const item = canHaveTokens(await this.p.catalogue.get(link.item, tx));
    if (!item.ok || (await this.p.enrolments.isEnrolled(link.userId, item.value.ref, tx))) return;
    const token = await this.p.tokens.claimUse(link.tokenId, now, tx);
    const user = token ? await this.p.users.findById(link.userId, tx) : null;
    if (!token || !user) return;
    await this.p.enrolments.enrol(user.id, item.value.ref, tx);
    await this.recordEnrolment(tx, user, false, item.value, token, now);
  }

  /** The registration record and every listener, in the enrolment's transaction. */
  private async recordEnrolment(tx: Tx, user: HostUser, newUser: boolean, item: KnowledgeItem, token: Token, now: Date): Promise<void> {
    await this.p.registrations.record({ tokenId: token.id, tokenNickname: token.nickname, item: item.ref, userId: user.id, newUser, at: now }, tx);
    const enrolment = {
      user: { id: user.id, email: user.email, firstName: user.firstName, lastName: user.lastName },
      newUser,
      item: { ref: item.ref, title: item.title },
      tokenId: token.id,
      tokenNickname: token.nickname,
      at: now,
    };
    for (const listener of this.p.enrolmentListeners ?? []) await listener.enrolled(enrolment, tx);
  }

  private async completeLink(
    purpose: EmailLinkPurpose,
    secret: string,
    work: (link: EmailLink, tx: Tx, now: Date) => Promise<LinkCompletion | null>,
  ): Promise<LinkCompletion> {
    try {
      return await this.p.uow.run(async (tx) => {
        const now = this.p.clock.now();
        const link = await this.findLink(purpose, secret, tx);
        const state = checkEmailLink(link, now);
        if (!state.ok) return { ok: false, reason: state.reason };
        const user = await this.p.users.findById(link!.userId, tx);
        if (!user || user.status !== 'active') return { ok: false, reason: refuse(ErrorCodes.LINK_INVALID) };
        if (!(await this.p.links.consume(link!.id, now, tx))) return { ok: false, reason: refuse(ErrorCodes.LINK_USED) };
        const refusal = await work(link!, tx, now);
        if (refusal) throw new Rollback<LinkCompletion>(refusal);
        await this.enrolThroughLink(link!, tx, now);
        const item = link!.item ? await this.p.catalogue.get(link!.item, tx) : null;
        return { ok: true, userId: user.id, redirectTo: item?.learnerUrl ?? '/' };
      });
    } catch (e) {
      if (e instanceof Rollback) return e.outcome as LinkCompletion;
      throw e;
    }
  }

  private async findLink(purpose: EmailLinkPurpose, secret: string, tx?: Tx): Promise<EmailLink | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(secret)) return null;
    const link = await this.p.links.findByDigest(this.p.hasher.hash(secret), tx);
    return link && link.purpose === purpose ? link : null;
  }

  private async resolveToken(codeInput: string): Promise<{ code: TokenCode; token: Token } | null> {
    const code = TokenCode.fromInput(codeInput);
    if (!code.ok) return null;
    const token = await this.p.tokens.findByCode(code.value.normalised);
    return token ? { code: code.value, token } : null;
  }
}
