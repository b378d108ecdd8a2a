import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { canHaveTokens, type KnowledgeItem } from '../../domain/shared/knowledge.js';
import {
  checkEmailLink, decideRegistration, decideSignedInEnrolment, INVITATION_TTL_MS, SIGN_IN_LINK_TTL_MS,
  type EmailLinkPurpose, type RegistrationRefusal,
} from '../../domain/registration/registration.js';
import type { RateLimitKind } from '../../domain/registration/rate-limit.js';
import { TokenCode } from '../../domain/tokens/token-code.js';
import { checkUsable, type Token } from '../../domain/tokens/token.js';
import { normaliseEmail, PROSPECT, type HostUser } from '../../domain/shared/user.js';
import type {
  CataloguePort, EnrolmentsPort, PasswordsPort, PortalPort, SeatsPort, UsersPort,
} from '../../domain/ports/host.ports.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { LoggerPort } from '../../domain/ports/logger.port.js';
import type { RandomSource } from '../../domain/ports/random.port.js';
import type {
  ConsentGiven, ConsentRecord, EmailLink, EmailLinkRepository, EnrolmentListener, OutboxPort, OutgoingMail, RegistrationRepository, SecretHasher,
  SettingsRepository, TokenRepository,
} from '../../domain/ports/repositories.port.js';
import type { Tx, UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import type { RateLimitPort } from '../../domain/ports/rate-limit.port.js';
import { ChangeSignal, ReadCache, type Millis } from '../shared/read-cache.js';
import type { SeatAlerts } from './seat-alerts.service.js';

export interface RegistrantInput {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly code: string;
  /**
   * The terms and privacy links the form asked the registrant to agree to, when it asked (the
   * organisation linked either) and they agreed. Recorded with the enrolment it leads to, at the
   * time of this submission; null or absent when no consent was asked.
   */
  readonly consent?: ConsentGiven | null;
}

/** Who is asking, as the HTTP edge knows it. */
export interface RegistrationContext {
  /** The visitor's address as the host's Express app reports it (`req.ip`): keys the per-IP limits. */
  readonly ip?: string | null;
  /**
   * The signed-in account, given only when the form proved it was rendered for this session (a
   * CSRF token bound to it). A registration with this account's own email enrols it at once.
   */
  readonly signedIn?: HostUser | null;
}

/**
 * `accepted` is deliberately the same for a new person, an existing account and a suspended one:
 * the page must not tell a visitor whether an email is known. `enrolled` is only ever the answer to
 * a visitor signed in as the account they registered (they proved who they are). `limited`: over an
 * abuse limit; try again after `retryAfterSeconds`.
 */
export type RegistrationOutcome =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'enrolled'; readonly redirectTo: string; readonly created: boolean }
  | { readonly kind: 'refused'; readonly reason: RegistrationRefusal }
  | { readonly kind: 'limited'; readonly retryAfterSeconds: number };

export type Limited = { readonly kind: 'limited'; readonly retryAfterSeconds: number };

export type PreviewOutcome =
  | { readonly kind: 'usable'; readonly code: string; readonly item: KnowledgeItem }
  | { readonly kind: 'refused'; readonly reason: RegistrationRefusal }
  | Limited;

/** The one-click page of a signed-in visitor: the preview, and whether they are enrolled already. */
export type EnrolPreview =
  | { readonly kind: 'usable'; readonly code: string; readonly item: KnowledgeItem; readonly enrolled: boolean }
  | { readonly kind: 'refused'; readonly reason: RegistrationRefusal }
  | Limited;

export type SignedInOutcome =
  | { readonly kind: 'enrolled'; readonly redirectTo: string; readonly created: boolean }
  | { readonly kind: 'refused'; readonly reason: RegistrationRefusal }
  | Limited;

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
  /** Shared abuse limits; absent: no limits (unit tests). */
  readonly limits?: RateLimitPort;
  /** Told when a registrant is turned away for lack of seats (the daily Super admin alert). */
  readonly seatAlerts?: SeatAlerts;
  /** Bumped by writes to settings and tokens; drops the read caches below. */
  readonly signal?: ChangeSignal;
  /** How long token lookups, the portal switch and the public base URL are cached (0: never). */
  readonly cacheMs?: number;
  /** A monotonic clock in ms (caches, and the timing of answers). */
  readonly millis?: Millis;
  /** Waits `ms` (a timer, not work): known emails' answers are held back to a new account's pace. */
  readonly pause?: (ms: number) => Promise<void>;
}

/** A code that matched a token, with the token's item as the host knows it (null if gone). */
interface Found {
  readonly code: TokenCode;
  readonly token: Token;
  readonly item: KnowledgeItem | null;
}

interface PublicConfig {
  readonly portalEnabled: boolean;
  readonly publicBaseUrl: string;
}

const answer = (refusal: RegistrationRefusal | null): RegistrationOutcome =>
  refusal ? { kind: 'refused', reason: refusal } : { kind: 'accepted' };

const refused = (code: RegistrationRefusal['code']): { readonly kind: 'refused'; readonly reason: RegistrationRefusal } => ({ kind: 'refused', reason: refuse(code) });

/** The consent given (if any was asked), as a record at the time `at` the enrolment or link is made. */
const consentAt = (given: ConsentGiven | null | undefined) => (at: Date): ConsentRecord | null =>
  given ? { termsUrl: given.termsUrl, privacyUrl: given.privacyUrl, at } : null;

const firstLimited = (verdicts: readonly (Limited | null)[]): Limited | null => verdicts.find((v) => v !== null) ?? null;

/** Thrown inside a unit of work to roll it back with an outcome; never escapes this module. */
class Rollback<T> {
  constructor(readonly outcome: T) {}
}

const LINK_SECRET_BYTES = 32;
export const LINK_PATHS: Record<EmailLinkPurpose, string> = {
  invitation: '/self-registration/invitation/',
  sign_in: '/self-registration/sign-in/',
};

/**
 * The public side: preview a code, register (anonymously or signed in), and complete the emailed
 * links. Abuse limits are applied here, before anything is looked up or written.
 */
export class RegistrationService {
  private readonly signal: ChangeSignal;
  private readonly lookups: ReadCache<string, Found | null>;
  private readonly config: ReadCache<'config', PublicConfig>;
  private readonly millis: Millis;
  /** Moving average of how long registering a new account takes, in ms (0 until one was made). */
  private newAccountMs = 0;

  constructor(private readonly p: RegistrationPorts) {
    this.signal = p.signal ?? new ChangeSignal();
    const millis = p.millis ?? (() => Date.now());
    this.millis = millis;
    this.lookups = new ReadCache(this.signal, p.cacheMs ?? 0, millis, 1000);
    this.config = new ReadCache(this.signal, p.cacheMs ?? 0, millis, 1);
  }

  /** Whether the portal's self-registration switch is on (the plain form shows only then). */
  async isOpen(): Promise<boolean> {
    return (await this.publicConfig()).portalEnabled;
  }

  /** What the deep-link page shows for a code; reads only, never consumes a use. */
  async preview(codeInput: string, ctx: RegistrationContext = {}): Promise<PreviewOutcome> {
    if (!(await this.publicConfig()).portalEnabled) return refused(ErrorCodes.REGISTRATION_UNAVAILABLE);
    const [blocked, found] = await Promise.all([this.peek('unknownCode', ctx.ip), this.lookup(codeInput)]);
    // Checked before answering, so an address that used up its guesses cannot tell a hit from a miss.
    if (blocked) return blocked;
    if (!found) return this.unknownCode(ctx);
    const usable = checkUsable(found.token, this.p.clock.now());
    if (!usable.ok) return { kind: 'refused', reason: usable.error };
    const item = canHaveTokens(found.item);
    if (!item.ok) return refused(ErrorCodes.TOKEN_NOT_RECOGNISED);
    return { kind: 'usable', code: found.token.code ?? found.code.display, item: item.value };
  }

  /** The one-click page of a signed-in visitor: the preview plus whether they are enrolled already. */
  async previewFor(user: HostUser, codeInput: string, ctx: RegistrationContext = {}): Promise<EnrolPreview> {
    const preview = await this.preview(codeInput, ctx);
    if (preview.kind !== 'usable') {
      // A closed token still lets someone already enrolled open the item.
      if (preview.kind === 'refused' && preview.reason.code !== ErrorCodes.TOKEN_NOT_RECOGNISED && preview.reason.code !== ErrorCodes.REGISTRATION_UNAVAILABLE) {
        const found = await this.lookup(codeInput);
        const item = found && canHaveTokens(found.item);
        if (found && item && item.ok && (await this.p.enrolments.isEnrolled(user.id, item.value.ref))) {
          return { kind: 'usable', code: found.token.code ?? found.code.display, item: item.value, enrolled: true };
        }
      }
      return preview;
    }
    return { ...preview, enrolled: await this.p.enrolments.isEnrolled(user.id, preview.item.ref) };
  }

  /** Counts one attempt against the visitor's address (forms refused at the edge, honeypots, link forms). */
  async throttle(ctx: RegistrationContext = {}): Promise<Limited | null> {
    return this.consume('ip', ctx.ip);
  }

  async register(input: RegistrantInput, ctx: RegistrationContext = {}): Promise<RegistrationOutcome> {
    const email = normaliseEmail(input.email);
    const config = await this.publicConfig();
    if (!config.portalEnabled) return refused(ErrorCodes.REGISTRATION_UNAVAILABLE);
    const limited = firstLimited(await Promise.all([this.consume('ip', ctx.ip), this.peek('unknownCode', ctx.ip), this.consume('email', email)]));
    if (limited) return limited;
    const found = await this.lookup(input.code);
    if (!found) return this.unknownCode(ctx);
    const tokenLimited = await this.consume('token', found.token.id);
    if (tokenLimited) return tokenLimited;
    const consentOf = consentAt(input.consent);
    if (ctx.signedIn && normaliseEmail(ctx.signedIn.email) === email) return this.enrolSignedIn(ctx.signedIn, found, config, consentOf);

    const started = this.millis();
    let creating = false;
    let created = false;
    let outcome: RegistrationOutcome;
    try {
      outcome = await this.p.uow.run(async (tx): Promise<RegistrationOutcome> => {
        const now = this.p.clock.now();
        const existingUser = await this.p.users.findByEmail(email, tx);
        // A known email takes no use now, so its token is read afresh here (a new email's use is claimed
        // atomically below). It also keeps the two paths' work comparable: the answers must not differ in time.
        const token = existingUser ? await this.p.tokens.findById(found.token.id, tx) : found.token;
        const invitationPending = existingUser ? await this.p.links.invitationPending(existingUser.id, tx) : false;
        // A new email needs no count: the atomic seat claim below decides. Known emails are answered as a new one would be.
        const seatsLeft = existingUser ? await this.p.seats.available(tx) : null;
        const decision = decideRegistration({ portalEnabled: true, token, item: found.item, existingUser, invitationPending, seatsLeft, now });
        switch (decision.kind) {
          case 'refuse':
            return { kind: 'refused', reason: decision.reason };
          case 'silent':
            return answer(decision.answerAs);
          case 'existing_account':
            // Typing a known email proves nothing: the inbox owner gets a sign-in link instead.
            await this.sendLink(tx, config.publicBaseUrl, 'sign_in', decision.user, decision.item, token!, now, consentOf(now));
            return answer(decision.answerAs);
          case 'resend_invitation':
            await this.sendLink(tx, config.publicBaseUrl, 'invitation', decision.user, decision.item, token!, now, consentOf(now));
            return answer(decision.answerAs);
          case 'create_prospect': {
            creating = true;
            const made = await this.createProspect(tx, config.publicBaseUrl, input, email, found.token, decision.item, now, consentOf(now));
            created = true;
            return made;
          }
        }
      });
    } catch (e) {
      if (e instanceof Rollback) outcome = e.outcome as RegistrationOutcome;
      // A twin submit created the same email first (the host's unique email index refused ours): it
      // is the same person's registration, so answer as for it. Anything else is a real failure.
      else if (creating && (await this.p.users.findByEmail(email))) outcome = { kind: 'accepted' };
      else throw e;
    }
    if (outcome.kind === 'refused' && outcome.reason.code === ErrorCodes.SEATS_EXHAUSTED && found.item) await this.alertSeats(found.item);
    if (outcome.kind === 'accepted') await this.pace(created, this.millis() - started);
    return outcome;
  }

  /**
   * "Check your inbox" must not take longer for a new email than for a known one (item 2 of
   * security.md): creating an account does more work and waits behind the seat claim. So the time
   * new-account registrations take is followed (a moving average), and the other accepted answers
   * (known, pending, suspended emails) are held back until they took as long, up to a second.
   */
  private async pace(created: boolean, elapsedMs: number): Promise<void> {
    if (created) {
      this.newAccountMs = this.newAccountMs === 0 ? elapsedMs : this.newAccountMs * 0.9 + elapsedMs * 0.1;
      return;
    }
    const wait = Math.min(this.newAccountMs - elapsedMs, 1000);
    if (wait > 0 && this.p.pause) await this.p.pause(wait);
  }

  /**
   * The one-click page's action: a signed-in visitor enrols with a token. No mail, no seat; one use
   * of the token, unless they are enrolled already. `consent`: the terms and privacy links the page
   * asked them to agree to, when it asked (the organisation linked either) and they agreed; recorded
   * with the enrolment, at the time of this click.
   */
  async enrol(user: HostUser, codeInput: string, ctx: RegistrationContext = {}, consent: ConsentGiven | null = null): Promise<SignedInOutcome> {
    const config = await this.publicConfig();
    if (!config.portalEnabled) return refused(ErrorCodes.REGISTRATION_UNAVAILABLE);
    const limited = firstLimited(await Promise.all([this.consume('ip', ctx.ip), this.peek('unknownCode', ctx.ip)]));
    if (limited) return limited;
    const found = await this.lookup(codeInput);
    if (!found) return this.unknownCode(ctx);
    const tokenLimited = await this.consume('token', found.token.id);
    if (tokenLimited) return tokenLimited;
    return this.enrolSignedIn(user, found, config, consentAt(consent));
  }

  /** `consentOf`: the consent given on the registration form or the one-click page, if any was asked. */
  private async enrolSignedIn(user: HostUser, found: Found, config: PublicConfig, consentOf: (at: Date) => ConsentRecord | null = () => null): Promise<SignedInOutcome> {
    const now = this.p.clock.now();
    const alreadyEnrolled = found.item ? await this.p.enrolments.isEnrolled(user.id, found.item.ref) : false;
    const decision = decideSignedInEnrolment({ portalEnabled: config.portalEnabled, token: found.token, item: found.item, user, alreadyEnrolled, now });
    if (decision.kind === 'refuse') return { kind: 'refused', reason: decision.reason };
    if (decision.kind === 'already_enrolled') return { kind: 'enrolled', redirectTo: decision.item.learnerUrl, created: false };
    const item = decision.item;
    try {
      return await this.p.uow.run(async (tx): Promise<SignedInOutcome> => {
        const claimed = await this.p.tokens.claimUse(found.token.id, now, tx);
        if (!claimed) throw new Rollback<SignedInOutcome>({ kind: 'refused', reason: await this.stateNow(found.token.id, now, tx) });
        const { created } = await this.p.enrolments.enrol(user.id, item.ref, tx);
        // A twin click enrolled them meanwhile: give the use back.
        if (!created) throw new Rollback<SignedInOutcome>({ kind: 'enrolled', redirectTo: item.learnerUrl, created: false });
        await this.recordEnrolment(tx, user, false, item, claimed, now, consentOf(now));
        return { kind: 'enrolled', redirectTo: item.learnerUrl, created: true };
      });
    } catch (e) {
      if (e instanceof Rollback) return e.outcome as SignedInOutcome;
      throw e;
    }
  }

  /** Why a claim on the token lost: the state it is in now, or not recognised when it has gone. */
  private async stateNow(tokenId: string, now: Date, tx: Tx): Promise<RegistrationRefusal> {
    const current = await this.p.tokens.findById(tokenId, tx);
    const state = current ? checkUsable(current, now) : null;
    return state && !state.ok ? state.error : refuse(ErrorCodes.TOKEN_NOT_RECOGNISED);
  }

  private async alertSeats(item: KnowledgeItem): Promise<void> {
    try {
      await this.p.seatAlerts?.seatsExhausted(item);
    } catch (e) {
      // The registrant's answer does not depend on the alert.
      this.p.logger.error('Could not queue the seat-limit alert', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  /** An unknown code counts against the visitor's address (guessing); the answer stays the one generic message. */
  private async unknownCode(ctx: RegistrationContext): Promise<{ readonly kind: 'refused'; readonly reason: RegistrationRefusal }> {
    await this.consume('unknownCode', ctx.ip);
    return refused(ErrorCodes.TOKEN_NOT_RECOGNISED);
  }

  private async consume(kind: RateLimitKind, key: string | null | undefined): Promise<Limited | null> {
    if (!this.p.limits) return null;
    const verdict = await this.p.limits.consume(kind, key || 'unknown');
    return verdict.allowed ? null : { kind: 'limited', retryAfterSeconds: verdict.retryAfterSeconds };
  }

  private async peek(kind: RateLimitKind, key: string | null | undefined): Promise<Limited | null> {
    if (!this.p.limits) return null;
    const verdict = await this.p.limits.peek(kind, key || 'unknown');
    return verdict.allowed ? null : { kind: 'limited', retryAfterSeconds: verdict.retryAfterSeconds };
  }

  /** The portal switch and the public base URL, read outside any transaction (cached briefly). */
  private publicConfig(): Promise<PublicConfig> {
    return this.config.get('config', async () => {
      const [portalEnabled, portal] = await Promise.all([this.p.settings.portalEnabled(), this.p.portal.info()]);
      return { portalEnabled, publicBaseUrl: portal.publicBaseUrl };
    });
  }

  /**
   * The token a code names and its item, read outside any transaction and cached briefly: the
   * registration transaction claims the use atomically, so a stale read can never over-admit.
   */
  private lookup(codeInput: string): Promise<Found | null> {
    const code = TokenCode.fromInput(codeInput);
    if (!code.ok) return Promise.resolve(null);
    return this.lookups.get(
      code.value.normalised,
      async () => {
        const token = await this.p.tokens.findByCode(code.value.normalised);
        return token ? { code: code.value, token, item: await this.p.catalogue.get(token.item) } : null;
      },
      // Misses are not kept: guessed codes must not fill memory.
      (found) => found !== null,
    );
  }

  private async createProspect(
    tx: Tx, publicBaseUrl: string, input: RegistrantInput, email: string, token: Token, item: KnowledgeItem, now: Date, consent: ConsentRecord | null,
  ): Promise<RegistrationOutcome> {
    // Concurrent registrations queue behind two locks held until the commit: the host's seat claim and
    // the token row that the use claim updates. The use is claimed last, so that row stays locked for
    // one statement and the commit only.
    if (!(await this.p.seats.claim(tx))) {
      throw new Rollback<RegistrationOutcome>({ kind: 'refused', reason: refuse(ErrorCodes.SEATS_EXHAUSTED) });
    }
    // Where the seat claim serialises creators, a twin submit that committed meanwhile is visible now;
    // elsewhere the unique email index refuses the twin and register() answers for it.
    if (await this.p.users.findByEmail(email, tx)) throw new Rollback<RegistrationOutcome>({ kind: 'accepted' });
    const user = await this.p.users.create({ email, firstName: input.firstName, lastName: input.lastName, type: PROSPECT }, tx);
    await this.p.enrolments.enrol(user.id, item.ref, tx);
    await this.recordEnrolment(tx, user, true, item, token, now, consent);
    await this.sendLink(tx, publicBaseUrl, 'invitation', user, item, token, now, consent);
    // One conditional UPDATE: of concurrent claims on the last use, one wins; the others roll all of this back.
    const claimed = await this.p.tokens.claimUse(token.id, now, tx);
    // Lost the race for the last use (or the token changed meanwhile): say which state it is in now.
    if (!claimed) throw new Rollback<RegistrationOutcome>({ kind: 'refused', reason: await this.stateNow(token.id, now, tx) });
    return { kind: 'accepted' };
  }

  private async sendLink(
    tx: Tx, publicBaseUrl: string, purpose: EmailLinkPurpose, user: HostUser, item: KnowledgeItem, token: Token, now: Date, consent: ConsentRecord | null,
  ): Promise<void> {
    const prepared = this.linkMail(publicBaseUrl, purpose, user, item, now);
    await this.p.links.issue({ ...prepared.link, userId: user.id, tokenId: token.id, ...(consent && { consent }) }, tx);
    await this.p.outbox.enqueue(prepared.mail, tx);
  }

  /** A fresh link secret (32 random bytes; only its SHA-256 digest is stored) and the mail carrying it. */
  private linkMail(publicBaseUrl: string, purpose: EmailLinkPurpose, to: { email: string; firstName: string }, item: KnowledgeItem, now: Date) {
    const secret = this.p.random.secret(LINK_SECRET_BYTES);
    const expiresAt = new Date(now.getTime() + (purpose === 'invitation' ? INVITATION_TTL_MS : SIGN_IN_LINK_TTL_MS));
    return {
      link: { purpose, item: item.ref, secretDigest: this.p.hasher.hash(secret), expiresAt, now },
      mail: {
        to: to.email,
        template: purpose === 'invitation' ? 'invitation' : 'sign-in-link',
        data: {
          firstName: to.firstName,
          itemTitle: item.title,
          itemType: item.ref.type,
          link: publicBaseUrl.replace(/\/+$/, '') + LINK_PATHS[purpose] + secret,
          expiresAt: expiresAt.toISOString(),
        },
      } satisfies OutgoingMail,
    };
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
    // The consent given on the form that sent the link (when it asked for one), as given then.
    await this.recordEnrolment(tx, user, false, item.value, token, now, link.consent ?? null);
  }

  /** The registration record and every listener, in the enrolment's transaction. */
  private async recordEnrolment(tx: Tx, user: HostUser, newUser: boolean, item: KnowledgeItem, token: Token, now: Date, consent: ConsentRecord | null): Promise<void> {
    await this.p.registrations.record({ tokenId: token.id, tokenNickname: token.nickname, item: item.ref, userId: user.id, newUser, at: now, ...(consent && { consent }) }, tx);
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
}
