import type { KnowledgeItem } from '../../domain/shared/knowledge.js';
import type { Token } from '../../domain/tokens/token.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { ConsentRecord } from '../../domain/registration/registration-record.js';
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
}

/** Records an enrolment made through a token and tells every listener (admin notifications), in the enrolment's transaction. */
export class EnrolmentRecorder {
  constructor(
    private readonly registrations: RegistrationRepository,
    private readonly listeners: readonly EnrolmentListener[] = [],
  ) {}

  async record(tx: Tx, e: TokenEnrolment): Promise<void> {
    const { user, newUser, item, token, now, consent } = e;
    await this.registrations.record({ tokenId: token.id, tokenNickname: token.nickname, item: item.ref, userId: user.id, newUser, at: now, ...(consent && { consent }) }, tx);
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
