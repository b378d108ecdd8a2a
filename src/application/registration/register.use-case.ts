import { ErrorCodes, refuse } from '../../domain/shared/errors.js';
import type { KnowledgeItem } from '../../domain/shared/knowledge.js';
import { decideRegistration, type RegistrationRefusal } from '../../domain/registration/registration.js';
import type { Token } from '../../domain/tokens/token.js';
import { normaliseEmail, PROSPECT } from '../../domain/shared/user.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { EnrolmentsPort } from '../../domain/ports/enrolments.port.js';
import type { SeatsPort } from '../../domain/ports/seats.port.js';
import type { UsersPort } from '../../domain/ports/users.port.js';
import type { LoggerPort } from '../../domain/ports/logger.port.js';
import type { ConsentRecord } from '../../domain/registration/registration-record.js';
import type { EmailLinkRepository } from '../../domain/ports/email-link-repository.port.js';
import type { TokenRepository } from '../../domain/ports/token-repository.port.js';
import type { Tx, UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import type { AbuseLimits } from './abuse-limits.js';
import type { AnswerPacing } from './answer-pacing.js';
import type { EmailedLinks } from './emailed-links.js';
import type { EnrolmentRecorder } from './enrolment-recorder.js';
import type { PublicConfig, PublicConfigReader } from './public-config.js';
import { consentAt, refused, Rollback, type RegistrantInput, type RegistrationContext, type RegistrationOutcome } from './registration-outcomes.js';
import type { SeatAlerts } from './seat-alerts.js';
import type { SignedInEnrolment } from './signed-in-enrolment.js';
import type { Found, TokenLookup } from './token-lookup.js';

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
  /** Told when a registrant is turned away for lack of seats (the daily Super admin alert). */
  readonly seatAlerts?: SeatAlerts;
}

const answer = (refusal: RegistrationRefusal | null): RegistrationOutcome => (refusal ? { kind: 'refused', reason: refusal } : { kind: 'accepted' });

/**
 * The registration form: a new email becomes a Prospect enrolled in the token's item and invited by
 * mail; a known one is mailed a sign-in link; a signed-in visitor's own email enrols at once. Abuse
 * limits are applied before anything is looked up or written, and every accepted answer looks alike.
 */
export class RegisterUseCase {
  constructor(private readonly p: RegisterPorts) {}

  async execute(input: RegistrantInput, ctx: RegistrationContext = {}): Promise<RegistrationOutcome> {
    const email = normaliseEmail(input.email);
    const config = await this.p.config.read();
    if (!config.portalEnabled) return refused(ErrorCodes.REGISTRATION_UNAVAILABLE);
    const { limits } = this.p;
    const limited = await limits.first([limits.consume('ip', ctx.ip), limits.peek('unknownCode', ctx.ip), limits.consume('email', email)]);
    if (limited) return limited;
    const found = await this.p.lookup.find(input.code);
    if (!found) return limits.unknownCode(ctx.ip);
    const tokenLimited = await limits.consume('token', found.token.id);
    if (tokenLimited) return tokenLimited;
    const consentOf = consentAt(input.consent);
    if (ctx.signedIn && normaliseEmail(ctx.signedIn.email) === email) return this.p.signedInEnrolment.enrol(ctx.signedIn, found, config.portalEnabled, consentOf, input.attribution ?? null);

    const started = this.p.pacing.started();
    let creating = false;
    let created = false;
    let outcome: RegistrationOutcome;
    try {
      outcome = await this.p.uow.run(async (tx): Promise<RegistrationOutcome> => {
        const now = this.p.clock.now();
        const decided = await this.decide(tx, now, email, found, config, consentOf, input);
        if ('outcome' in decided) return decided.outcome;
        creating = true;
        const made = await this.createProspect(tx, now, config, input, email, found.token, decided.create, consentOf(now));
        created = true;
        return made;
      });
    } catch (e) {
      if (e instanceof Rollback) outcome = e.outcome as RegistrationOutcome;
      // A twin submit created the same email first (the host's unique email index refused ours): it
      // is the same person's registration, so answer as for it. Anything else is a real failure.
      else if (creating && (await this.p.users.findByEmail(email))) outcome = { kind: 'accepted' };
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
    await this.p.enrolments.enrol(user.id, item.ref, tx);
    await this.p.recorder.record(tx, { user, newUser: true, item, token, now, consent, attribution: input.attribution ?? null });
    await this.p.emailedLinks.send(tx, { publicBaseUrl: config.publicBaseUrl, purpose: 'invitation', user, item, token, now, consent });
    // One conditional UPDATE: of concurrent claims on the last use, one wins; the others roll all of this back.
    const claimed = await this.p.tokens.claimUse(token.id, now, tx);
    // Lost the race for the last use (or the token changed meanwhile): say which state it is in now.
    if (!claimed) throw new Rollback<RegistrationOutcome>({ kind: 'refused', reason: await this.p.lookup.refusalNow(token.id, now, tx) });
    return { kind: 'accepted' };
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
