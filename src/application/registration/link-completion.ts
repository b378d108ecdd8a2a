import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { checkUsable } from '../../domain/tokens/token.js';
import { canHaveTokens } from '../../domain/shared/knowledge.js';
import { checkEmailLink, type EmailLinkPurpose } from '../../domain/registration/registration.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { EnrolmentsPort } from '../../domain/ports/enrolments.port.js';
import type { UsersPort } from '../../domain/ports/users.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { EmailLink } from '../../domain/registration/email-link.js';
import type { EmailLinkRepository } from '../../domain/ports/email-link-repository.port.js';
import type { TokenRepository } from '../../domain/ports/token-repository.port.js';
import type { Tx, UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import type { EmailLinkLookup } from './email-link-lookup.js';
import type { EnrolmentRecorder } from './enrolment-recorder.js';
import type { RegistrationRules } from '../rules/registration-rules.js';
import { outcomeOf, Rollback, type LinkCompletion, type NotEnrolled } from './registration-outcomes.js';

export interface LinkCompletionPorts {
  readonly uow: UnitOfWork;
  readonly clock: ClockPort;
  readonly linkLookup: EmailLinkLookup;
  readonly links: EmailLinkRepository;
  readonly users: UsersPort;
  readonly catalogue: CataloguePort;
  readonly enrolments: EnrolmentsPort;
  readonly tokens: TokenRepository;
  readonly recorder: EnrolmentRecorder;
  /** The enrolment rules (the token's source, and the items of rules the person now matches); absent: the token's item only. */
  readonly rules?: RegistrationRules;
}

/** The purpose-specific step of completing a link: a refusal rolls the whole completion back. */
export type LinkStep = (link: EmailLink, tx: Tx, now: Date) => Promise<LinkCompletion | null>;

/**
 * Completes an emailed link as one unit of work: checks it and its user, consumes it, runs the
 * purpose's own step (setting a password), and enrols through it. The adapter then signs the user in.
 */
export class EmailLinkCompletion {
  constructor(private readonly p: LinkCompletionPorts) {}

  complete(purpose: EmailLinkPurpose, secret: string, step: LinkStep): Promise<LinkCompletion> {
    return outcomeOf(() =>
      this.p.uow.run(async (tx): Promise<LinkCompletion> => {
        const now = this.p.clock.now();
        const link = await this.p.linkLookup.find(purpose, secret, tx);
        const state = checkEmailLink(link, now);
        if (!state.ok) return { ok: false, reason: state.reason };
        const user = await this.p.users.findById(link!.userId, tx);
        if (!user || user.status !== 'active') return { ok: false, reason: refuse(ErrorCodes.LINK_INVALID) };
        if (!(await this.p.links.consume(link!.id, now, tx))) return { ok: false, reason: refuse(ErrorCodes.LINK_USED) };
        const refusal = await step(link!, tx, now);
        if (refusal) throw new Rollback<LinkCompletion>(refusal);
        const notEnrolled = await this.enrolThroughLink(link!, tx, now);
        const item = link!.item ? await this.p.catalogue.get(link!.item, tx) : null;
        return { ok: true, userId: user.id, redirectTo: item?.learnerUrl ?? '/', ...(notEnrolled && { notEnrolled }) };
      }),
    );
  }

  /**
   * Enrols the link's user in the link's item if they are not enrolled yet, taking a use of the
   * token then (a sign-in link, or a re-sent invitation for another item). When the token can no
   * longer be used (used up, disabled or expired since the mail, or deleted), the person is still
   * signed in (they proved the mailbox) and is told why not: the answer is that reason, never a
   * redirect to an item they cannot open. Nothing to say when the item itself has gone.
   */
  private async enrolThroughLink(link: EmailLink, tx: Tx, now: Date): Promise<NotEnrolled | null> {
    if (!link.item) return null;
    const item = canHaveTokens(await this.p.catalogue.get(link.item, tx));
    if (!item.ok || (await this.p.enrolments.isEnrolled(link.userId, item.value.ref, tx))) return null;
    const notEnrolled = async (): Promise<NotEnrolled> => ({ itemTitle: item.value.title, reason: await this.refusalNow(link.tokenId, now, tx) });
    if (!link.tokenId) return notEnrolled();
    const token = await this.p.tokens.claimUse(link.tokenId, now, tx);
    if (!token) return notEnrolled();
    const user = await this.p.users.findById(link.userId, tx);
    if (!user) return null;
    if (this.p.rules) await this.p.rules.enrolToken(user.id, item.value.ref, token.id, tx);
    else await this.p.enrolments.enrol(user.id, item.value.ref, tx);
    // The consent given on the form that sent the link (when it asked for one), as given then.
    await this.p.recorder.record(tx, { user, newUser: false, item: item.value, token, now, consent: link.consent ?? null, attribution: link.attribution ?? null });
    await this.p.rules?.enrolKnown(user, tx);
    return null;
  }

  /** Why the token cannot take a use now: its state, or withdrawn when it has gone (a lost race on the last use reads as used up). */
  private async refusalNow(tokenId: string | null, now: Date, tx: Tx): Promise<Refusal> {
    const token = tokenId ? await this.p.tokens.findById(tokenId, tx) : null;
    if (!token) return refuse(ErrorCodes.TOKEN_NOT_RECOGNISED);
    const state = checkUsable(token, now);
    return state.ok ? refuse(ErrorCodes.TOKEN_USED_UP) : state.error;
  }
}
