import { decideSignedInEnrolment } from '../../domain/registration/registration.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { EnrolmentsPort } from '../../domain/ports/enrolments.port.js';
import type { ConsentRecord } from '../../domain/registration/registration-record.js';
import type { Attribution } from '../../domain/reports/attribution.js';
import type { TokenRepository } from '../../domain/ports/token-repository.port.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import type { EnrolmentRecorder } from './enrolment-recorder.js';
import { outcomeOf, Rollback, type SignedInOutcome } from './registration-outcomes.js';
import type { Found, TokenLookup } from './token-lookup.js';
import type { RegistrationRules } from '../rules/registration-rules.js';

export interface SignedInEnrolmentPorts {
  readonly uow: UnitOfWork;
  readonly tokens: TokenRepository;
  readonly enrolments: EnrolmentsPort;
  readonly clock: ClockPort;
  readonly lookup: TokenLookup;
  readonly recorder: EnrolmentRecorder;
  /** The enrolment rules (the token's source, and the items of rules the person now matches); absent: the token's item only. */
  readonly rules?: RegistrationRules;
}

/**
 * Enrols a signed-in person with a token they proved they hold (the one-click page, or the form with
 * their own email): no mail, no seat; one use of the token, unless they are enrolled already.
 */
export class SignedInEnrolment {
  constructor(private readonly p: SignedInEnrolmentPorts) {}

  /** `consentOf`: the consent given on the registration form or the one-click page, if any was asked. */
  async enrol(
    user: HostUser, found: Found, portalEnabled: boolean, consentOf: (at: Date) => ConsentRecord | null = () => null, attribution: Attribution | null = null,
  ): Promise<SignedInOutcome> {
    const now = this.p.clock.now();
    const alreadyEnrolled = found.item ? await this.p.enrolments.isEnrolled(user.id, found.item.ref) : false;
    const decision = decideSignedInEnrolment({ portalEnabled, token: found.token, item: found.item, user, alreadyEnrolled, now });
    if (decision.kind === 'refuse') return { kind: 'refused', reason: decision.reason };
    if (decision.kind === 'already_enrolled') return { kind: 'enrolled', redirectTo: decision.item.learnerUrl, created: false };
    const item = decision.item;
    return outcomeOf(() =>
      this.p.uow.run(async (tx): Promise<SignedInOutcome> => {
        const claimed = await this.p.tokens.claimUse(found.token.id, now, tx);
        if (!claimed) throw new Rollback<SignedInOutcome>({ kind: 'refused', reason: await this.p.lookup.refusalNow(found.token.id, now, tx) });
        const { created } = this.p.rules ? await this.p.rules.enrolToken(user.id, item.ref, found.token.id, tx) : await this.p.enrolments.enrol(user.id, item.ref, tx);
        // A twin click enrolled them meanwhile: give the use back.
        if (!created) throw new Rollback<SignedInOutcome>({ kind: 'enrolled', redirectTo: item.learnerUrl, created: false });
        await this.p.recorder.record(tx, { user, newUser: false, item, token: claimed, now, consent: consentOf(now), attribution });
        await this.p.rules?.enrolKnown(user, tx);
        return { kind: 'enrolled', redirectTo: item.learnerUrl, created: true };
      }),
    );
  }
}
