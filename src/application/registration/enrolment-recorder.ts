import type { KnowledgeItem } from '../../domain/shared/knowledge.js';
import type { Token } from '../../domain/tokens/token.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { ConsentRecord, RegistrationRecord } from '../../domain/registration/registration-record.js';
import type { Attribution } from '../../domain/reports/attribution.js';
import type { EnrolmentListener } from '../../domain/ports/enrolment-listener.port.js';
import type { RegistrationRepository } from '../../domain/ports/registration-repository.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';

/** One enrolment made through a token, as it is recorded. */
export interface TokenEnrolment {
  readonly user: HostUser;
  readonly newUser: boolean;
  readonly item: KnowledgeItem;
  readonly token: Token;
  readonly now: Date;
  readonly consent: ConsentRecord | null;
  /** The campaign of the deep link the person came through, if any. */
  readonly attribution?: Attribution | null;
}

/** Records an enrolment made through a token and tells every listener (admin notifications), in the enrolment's transaction. */
export class EnrolmentRecorder {
  constructor(
    private readonly registrations: RegistrationRepository,
    private readonly listeners: readonly EnrolmentListener[] = [],
  ) {}

  async record(tx: Tx, e: TokenEnrolment): Promise<void> {
    await this.registrations.record(this.recordOf(e), tx, e.item.title);
    await this.notify(tx, e);
  }

  /** The registration record of an enrolment (written by `record`, or by RegistrationWrites with its link and mail). */
  recordOf(e: TokenEnrolment): RegistrationRecord {
    const { user, newUser, item, token, now, consent, attribution } = e;
    const registrant = { email: user.email, firstName: user.firstName, lastName: user.lastName, type: user.type };
    return { tokenId: token.id, tokenNickname: token.nickname, item: item.ref, userId: user.id, newUser, at: now, registrant, ...(consent && { consent }), ...(attribution && { attribution }) };
  }

  /** True when no listener would write anything for an enrolment in `item` (each one says so). */
  async quiet(item: KnowledgeItem): Promise<boolean> {
    for (const listener of this.listeners) if (!listener.quiet || !(await listener.quiet(item.ref))) return false;
    return true;
  }

  /** Tells every listener (admin notifications) of an enrolment already recorded, in its transaction. */
  async notify(tx: Tx, e: TokenEnrolment): Promise<void> {
    const { user, newUser, item, token, now } = e;
    const enrolment = {
      user: { id: user.id, email: user.email, firstName: user.firstName, lastName: user.lastName },
      newUser,
      item: { ref: item.ref, title: item.title },
      tokenId: token.id,
      tokenNickname: token.nickname,
      at: now,
    };
    for (const listener of this.listeners) await listener.enrolled(enrolment, tx);
  }
}
