import { ErrorCodes, refuse } from '../../domain/shared/errors.js';
import type { KnowledgeItem } from '../../domain/shared/knowledge.js';
import { decideRegistration, type RegistrationRefusal } from '../../domain/registration/registration.js';
import type { Token } from '../../domain/tokens/token.js';
import { normaliseEmail, PROSPECT, type HostUser } from '../../domain/shared/user.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { EnrolmentsPort } from '../../domain/ports/enrolments.port.js';
import type { SeatsPort } from '../../domain/ports/seats.port.js';
import type { UsersPort } from '../../domain/ports/users.port.js';
import type { LoggerPort } from '../../domain/ports/logger.port.js';
import type { ConsentRecord } from '../../domain/registration/registration-record.js';
import type { Attribution } from '../../domain/reports/attribution.js';
import type { EmailLinkRepository } from '../../domain/ports/email-link-repository.port.js';
import type { RegistrationWrites } from '../../domain/ports/registration-writes.port.js';
import type { TokenRepository } from '../../domain/ports/token-repository.port.js';
import type { Tx, UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import type { AbuseLimits } from './abuse-limits.js';
import type { AnswerPacing } from './answer-pacing.js';
import type { EmailedLinks } from './emailed-links.js';
import type { EnrolmentRecorder } from './enrolment-recorder.js';
import type { PublicConfig, PublicConfigReader } from './public-config.js';
import { consentAt, refused, Rollback, type RegistrantInput, type RegistrationContext, type RegistrationOutcome } from './registration-outcomes.js';
import { RunningRegistrations } from './running-registrations.js';
import type { SeatAlerts } from './seat-alerts.js';
import type { SignedInEnrolment } from './signed-in-enrolment.js';
import type { Found, TokenLookup } from './token-lookup.js';
import type { Registrant, RegistrationRules } from '../rules/registration-rules.js';

export interface RegisterPorts {
  readonly uow: UnitOfWork;
  readonly tokens: TokenRepository;
  readonly links: EmailLinkRepository;
  readonly users: UsersPort;
  readonly enrolments: EnrolmentsPort;
  readonly seats: SeatsPort;
  readonly clock: ClockPort;
  readonly logger: LoggerPort;
  readonly config: PublicConfigReader;
  readonly lookup: TokenLookup;
  readonly limits: AbuseLimits;
  readonly pacing: AnswerPacing;
  readonly emailedLinks: EmailedLinks;
  readonly recorder: EnrolmentRecorder;
  readonly signedInEnrolment: SignedInEnrolment;
  /** The registration's own rows (use, record, link, mail), written together. */
  readonly writes: RegistrationWrites;
  /** Told when a registrant is turned away for lack of seats (the daily Super admin alert). */
  readonly seatAlerts?: SeatAlerts;
  /** The enrolment rules' part (their items enrolled in the same statement or transaction); absent: the token's item only. */
  readonly rules?: RegistrationRules;
}

const answer = (refusal: RegistrationRefusal | null): RegistrationOutcome => (refusal ? { kind: 'refused', reason: refusal } : { kind: 'accepted' });

/**
 * The registration form: a new email becomes a Prospect enrolled in the token's item and invited by
 * mail; a known one is mailed a sign-in link; a signed-in visitor's own email enrols at once. Abuse
 * limits are applied before anything is looked up or written, and every accepted answer looks alike.
 */
export class RegisterUseCase {
  private readonly running = new RunningRegistrations<RegistrationOutcome>();

  constructor(private readonly p: RegisterPorts) {}

  async execute(input: RegistrantInput, ctx: RegistrationContext = {}): Promise<RegistrationOutcome> {
    const email = normaliseEmail(input.email);
    const config = await this.p.config.read();
    if (!config.portalEnabled) return refused(ErrorCodes.REGISTRATION_UNAVAILABLE);
    const { limits } = this.p;
    // A token already in the lookup cache costs no read: every limit is then counted in one round trip.
    const known = this.p.lookup.cached(input.code);
    let found: Found | null;
    if (known) {
      const limited = await limits.check([
        { kind: 'ip', key: ctx.ip }, { kind: 'unknownCode', key: ctx.ip, peek: true }, { kind: 'email', key: email },
        { kind: 'token', key: known.token.id, onlyIfAllowed: true },
      ]);
      if (limited) return limited;
      found = known;
    } else {
      const limited = await limits.check([{ kind: 'ip', key: ctx.ip }, { kind: 'unknownCode', key: ctx.ip, peek: true }, { kind: 'email', key: email }]);
      if (limited) return limited;
      found = await this.p.lookup.find(input.code);
      if (!found) return limits.unknownCode(ctx.ip);
      const tokenLimited = await limits.consume('token', found.token.id);
      if (tokenLimited) return tokenLimited;
    }
    const consentOf = consentAt(input.consent);
    if (ctx.signedIn && normaliseEmail(ctx.signedIn.email) === email) return this.p.signedInEnrolment.enrol(ctx.signedIn, found, config.portalEnabled, consentOf, input.attribution ?? null);

    // A twin of a submit still running here waits for it and gets its answer.
    return this.running.run(email, found.token.id, () => this.registerOnce(input, email, config, found, consentOf));
  }

  private async registerOnce(
    input: RegistrantInput, email: string, config: PublicConfig, found: Found, consentOf: (at: Date) => ConsentRecord | null,
  ): Promise<RegistrationOutcome> {
    const started = this.p.pacing.started();
    // Set once this answer may have written a user: a failed commit is then read as the host's seat
    // refusal or a twin submit.
    const state = { creating: false, known: false };
    let created = false;
    let outcome: RegistrationOutcome;
    try {
      const single = await this.inOneStatement(state, config, input, email, found, consentOf);
      if (single) created = single.created;
      outcome = single?.outcome ?? await this.p.uow.run(async (tx): Promise<RegistrationOutcome> => {
        const now = this.p.clock.now();
        const fast = await this.createInOneCall(tx, state, now, config, input, email, found, consentOf(now));
        if (fast) {
          created = fast.kind === 'accepted';
          return fast;
        }
        const decided = await this.decide(tx, now, email, found, config, consentOf, input);
        if ('outcome' in decided) return decided.outcome;
        state.creating = true;
        const made = await this.createProspect(tx, now, config, input, email, found.token, decided.create, consentOf(now));
        created = true;
        return made;
      });
    } catch (e) {
      if (e instanceof Rollback) outcome = e.outcome as RegistrationOutcome;
      // The host refused the seat at commit: another registration took the last one meanwhile.
      else if (state.creating && this.p.seats.refusedAtCommit?.(e)) outcome = refused(ErrorCodes.SEATS_EXHAUSTED);
      // A twin submit created the same email first (the host's unique email index refused ours): it
      // is the same person's registration, so answer as for it. Anything else is a real failure.
      else if (state.creating && (await this.p.users.findByEmail(email))) outcome = { kind: 'accepted' };
      else throw e;
    }
    if (outcome.kind === 'refused' && outcome.reason.code === ErrorCodes.SEATS_EXHAUSTED && found.item) await this.alertSeats(found.item);
    if (outcome.kind === 'accepted') await this.p.pacing.settle(created, started);
    return outcome;
  }

  /** The domain's decision for this email and token; every answer but a new account is made here. */
  private async decide(
    tx: Tx, now: Date, email: string, found: Found, config: PublicConfig, consentOf: (at: Date) => ConsentRecord | null, input: RegistrantInput,
  ): Promise<{ readonly create: KnowledgeItem } | { readonly outcome: RegistrationOutcome }> {
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
        return { outcome: { kind: 'refused', reason: decision.reason } };
      case 'silent':
        return { outcome: answer(decision.answerAs) };
      case 'existing_account':
      case 'resend_invitation':
        // Typing a known email proves nothing: the inbox owner gets a sign-in link instead (or a fresh invitation).
        await this.p.emailedLinks.send(tx, {
          publicBaseUrl: config.publicBaseUrl, purpose: decision.kind === 'existing_account' ? 'sign_in' : 'invitation',
          user: decision.user, item: decision.item, token: token!, now, consent: consentOf(now), attribution: input.attribution ?? null,
        });
        return { outcome: answer(decision.answerAs) };
      case 'create_prospect':
        return { create: decision.item };
    }
  }

  private async createProspect(
    tx: Tx, now: Date, config: PublicConfig, input: RegistrantInput, email: string, token: Token, item: KnowledgeItem, consent: ConsentRecord | null,
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
    if (this.p.rules) await this.p.rules.enrol(user.id, this.registrant(email, token, item, input), tx);
    else await this.p.enrolments.enrol(user.id, item.ref, tx);
    return this.recordNewAccount(tx, now, config, user, item, token, consent, input.attribution ?? null);
  }

  /**
   * The whole registration of a new email as ONE statement, no transaction around it (a host that
   * offers `users.createEnrolledStatement`, contract 1.1, and no listener with anything to write):
   * the host's seat, user and enrolment, then the plugin's record, link, mail and the use claim,
   * all or nothing. Null when it does not apply or the email is known: the transaction path answers.
   */
  private async inOneStatement(
    state: { creating: boolean; known: boolean }, config: PublicConfig, input: RegistrantInput, email: string, found: Found, consentOf: (at: Date) => ConsentRecord | null,
  ): Promise<{ outcome: RegistrationOutcome; created: boolean } | null> {
    const statementOf = this.p.users.createEnrolledStatement?.bind(this.p.users);
    const createAndRecord = this.p.writes.createAndRecord?.bind(this.p.writes);
    const now = this.p.clock.now();
    const decision = decideRegistration({ portalEnabled: true, token: found.token, item: found.item, existingUser: null, invitationPending: false, seatsLeft: null, now });
    if (!statementOf || !createAndRecord || decision.kind !== 'create_prospect' || !(await this.p.recorder.quiet(decision.item))) return null;
    const item = decision.item;
    const newUser = { email, firstName: input.firstName, lastName: input.lastName, type: PROSPECT };
    // The host's new user id replaces this one in the rows written (see RegistrationWrites).
    const provisional: HostUser = { id: '0', ...newUser, role: null, status: 'active' };
    const enrolment = { user: provisional, newUser: true, item, token: found.token, now, consent: consentOf(now), attribution: input.attribution ?? null };
    const { link, mail } = this.p.emailedLinks.prepare({ publicBaseUrl: config.publicBaseUrl, purpose: 'invitation', ...enrolment });
    state.creating = true;
    const options = await this.p.rules?.options(this.registrant(email, found.token, item, input));
    const made = await createAndRecord(statementOf(newUser, item.ref, options), { registration: this.p.recorder.recordOf(enrolment), link, mail, itemTitle: item.title });
    switch (made.kind) {
      case 'created':
        return { outcome: { kind: 'accepted' }, created: true };
      case 'no_seat':
        return { outcome: refused(ErrorCodes.SEATS_EXHAUSTED), created: false };
      case 'lost':
        return { outcome: { kind: 'refused', reason: await this.p.lookup.refusalNow(found.token.id, now) }, created: false };
      case 'exists':
        // A twin submit created this email while we ran: the same person's registration.
        if (made.raced) return { outcome: { kind: 'accepted' }, created: false };
        state.creating = false;
        state.known = true;
        return null;
    }
  }

  /**
   * With a host that offers `users.createEnrolled` (contract 1.1): seat, user and enrolment in one
   * call, tried first — an email that turns out to be known is then answered by the usual path
   * (null). Without it, or when the token or item refuses, null as well (`decide` answers).
   */
  private async createInOneCall(
    tx: Tx, state: { creating: boolean; known: boolean }, now: Date, config: PublicConfig, input: RegistrantInput, email: string, found: Found, consent: ConsentRecord | null,
  ): Promise<RegistrationOutcome | null> {
    const createEnrolled = this.p.users.createEnrolled?.bind(this.p.users);
    if (!createEnrolled || state.known) return null;
    const decision = decideRegistration({ portalEnabled: true, token: found.token, item: found.item, existingUser: null, invitationPending: false, seatsLeft: null, now });
    if (decision.kind !== 'create_prospect') return null;
    state.creating = true;
    const options = await this.p.rules?.options(this.registrant(email, found.token, decision.item, input), tx);
    const made = await createEnrolled({ email, firstName: input.firstName, lastName: input.lastName, type: PROSPECT }, decision.item.ref, tx, options);
    if (made.kind === 'no_seat') throw new Rollback<RegistrationOutcome>({ kind: 'refused', reason: refuse(ErrorCodes.SEATS_EXHAUSTED) });
    // A twin submit created this email while we ran: it is the same person's registration.
    if (made.kind === 'exists' && made.raced) throw new Rollback<RegistrationOutcome>({ kind: 'accepted' });
    if (made.kind === 'exists') {
      state.creating = false;
      return null;
    }
    return this.recordNewAccount(tx, now, config, made.user, decision.item, found.token, consent, input.attribution ?? null);
  }

  /** A new account's own rows in one write (use claimed last: a capped token's row stays locked the shortest), then the listeners. */
  private async recordNewAccount(
    tx: Tx, now: Date, config: PublicConfig, user: HostUser, item: KnowledgeItem, token: Token, consent: ConsentRecord | null, attribution: Attribution | null = null,
  ): Promise<RegistrationOutcome> {
    const enrolment = { user, newUser: true, item, token, now, consent, attribution };
    const { link, mail } = this.p.emailedLinks.prepare({ publicBaseUrl: config.publicBaseUrl, purpose: 'invitation', user, item, token, now, consent });
    // Of concurrent claims on the last use, one wins; the others roll all of this back.
    const claimed = await this.p.writes.claimAndRecord({ registration: this.p.recorder.recordOf(enrolment), link, mail, itemTitle: item.title }, tx);
    // Lost the race for the last use (or the token changed meanwhile): say which state it is in now.
    if (!claimed) throw new Rollback<RegistrationOutcome>({ kind: 'refused', reason: await this.p.lookup.refusalNow(token.id, now, tx) });
    await this.p.recorder.notify(tx, enrolment);
    return { kind: 'accepted' };
  }

  /** The new person as the enrolment rules see them: email, token, its item, campaign. */
  private registrant(email: string, token: Token, item: KnowledgeItem, input: RegistrantInput): Registrant {
    return { email, tokenId: token.id, tokenItem: item.ref, attribution: input.attribution ?? null };
  }

  private async alertSeats(item: KnowledgeItem): Promise<void> {
    try {
      await this.p.seatAlerts?.seatsExhausted(item);
    } catch (e) {
      // The registrant's answer does not depend on the alert.
      this.p.logger.error('Could not queue the seat-limit alert', { error: e instanceof Error ? e.message : String(e) });
    }
  }
}
