import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { canHaveTokens, type KnowledgeItem } from '../../domain/shared/knowledge.js';
import { checkUsable } from '../../domain/tokens/token.js';
import type { EmailLink } from '../../domain/registration/email-link.js';
import type { EnrolmentsPort } from '../../domain/ports/enrolments.port.js';
import { checkEmailLink, type EmailLinkPurpose } from '../../domain/registration/registration.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { UsersPort } from '../../domain/ports/users.port.js';
import type { TokenRepository } from '../../domain/ports/token-repository.port.js';
import type { EmailLinkLookup } from './email-link-lookup.js';
import type { LinkInspection } from './registration-outcomes.js';

export interface InspectEmailedLinkPorts {
  readonly linkLookup: EmailLinkLookup;
  readonly users: UsersPort;
  readonly catalogue: CataloguePort;
  readonly clock: ClockPort;
  /** Absent: an expired link's page cannot offer its token's deep link, nor a live one say its token closed. */
  readonly tokens?: TokenRepository;
  readonly enrolments?: EnrolmentsPort;
}

/** For the confirm page a GET of an emailed link shows: whose link it is and for what; consumes nothing. */
export class InspectEmailedLinkQuery {
  constructor(private readonly p: InspectEmailedLinkPorts) {}

  async execute(purpose: EmailLinkPurpose, secret: string): Promise<LinkInspection> {
    const link = await this.p.linkLookup.find(purpose, secret);
    const state = checkEmailLink(link, this.p.clock.now());
    if (!state.ok) {
      // A real link that only ran out: its holder registered with this token, so it is offered again (filled in).
      const token = state.reason.code === ErrorCodes.LINK_EXPIRED && link?.tokenId ? await this.p.tokens?.findById(link.tokenId) : null;
      return { ok: false, reason: state.reason, ...(token?.code && { tokenCode: token.code }) };
    }
    const user = await this.p.users.findById(link!.userId);
    if (!user || user.status !== 'active') return { ok: false, reason: refuse(ErrorCodes.LINK_INVALID) };
    const item = link!.item ? await this.p.catalogue.get(link!.item) : null;
    const closed = item ? await this.closedFor(link!, user.id, item) : null;
    return { ok: true, purpose, user, item, ...(closed && { closed }) };
  }

  /**
   * Why completing the link would not enrol its person now (the token closed since the mail), so the
   * confirm page promises nothing it cannot keep; null when it would enrol them or they are enrolled.
   */
  private async closedFor(link: EmailLink, userId: string, item: KnowledgeItem): Promise<Refusal | null> {
    if (!this.p.tokens || !this.p.enrolments || !canHaveTokens(item).ok) return null;
    if (await this.p.enrolments.isEnrolled(userId, item.ref)) return null;
    const token = link.tokenId ? await this.p.tokens.findById(link.tokenId) : null;
    if (!token) return refuse(ErrorCodes.TOKEN_NOT_RECOGNISED);
    const usable = checkUsable(token, this.p.clock.now());
    return usable.ok ? null : usable.error;
  }
}
