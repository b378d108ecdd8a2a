import { ErrorCodes } from '../../domain/shared/errors.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { ConsentGiven } from '../../domain/registration/registration-record.js';
import type { Attribution } from '../../domain/reports/attribution.js';
import type { AbuseLimits } from './abuse-limits.js';
import type { PublicConfigReader } from './public-config.js';
import { consentAt, refused, type RegistrationContext, type SignedInOutcome } from './registration-outcomes.js';
import type { SignedInEnrolment } from './signed-in-enrolment.js';
import type { TokenLookup } from './token-lookup.js';

export interface EnrolSignedInPorts {
  readonly config: PublicConfigReader;
  readonly limits: AbuseLimits;
  readonly lookup: TokenLookup;
  readonly enrolment: SignedInEnrolment;
}

/**
 * The one-click page's action: a signed-in visitor enrols with a token. No mail, no seat; one use
 * of the token, unless they are enrolled already. `consent`: the terms and privacy links the page
 * asked them to agree to, when it asked (the organisation linked either) and they agreed; recorded
 * with the enrolment, at the time of this click.
 */
export class EnrolSignedInUseCase {
  constructor(private readonly p: EnrolSignedInPorts) {}

  /** `attribution`: the campaign of the deep link the person came through (first touch), if any. */
  async execute(user: HostUser, codeInput: string, ctx: RegistrationContext = {}, consent: ConsentGiven | null = null, attribution: Attribution | null = null): Promise<SignedInOutcome> {
    const config = await this.p.config.read();
    if (!config.portalEnabled) return refused(ErrorCodes.REGISTRATION_UNAVAILABLE);
    const limited = await this.p.limits.first([this.p.limits.consume('ip', ctx.ip), this.p.limits.peek('unknownCode', ctx.ip)]);
    if (limited) return limited;
    const found = await this.p.lookup.find(codeInput);
    if (!found) return this.p.limits.unknownCode(ctx.ip);
    const tokenLimited = await this.p.limits.consume('token', found.token.id);
    if (tokenLimited) return tokenLimited;
    return this.p.enrolment.enrol(user, found, config.portalEnabled, consentAt(consent), attribution);
  }
}
