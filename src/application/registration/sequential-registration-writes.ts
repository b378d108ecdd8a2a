import type { EmailLinkRepository } from '../../domain/ports/email-link-repository.port.js';
import type { OutboxPort } from '../../domain/ports/outbox.port.js';
import type { RegistrationRepository } from '../../domain/ports/registration-repository.port.js';
import type { ClaimedRegistration, RegistrationWrites } from '../../domain/ports/registration-writes.port.js';
import type { TokenRepository } from '../../domain/ports/token-repository.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';

/**
 * RegistrationWrites through the single-purpose ports, one call each (unit tests, and any store that
 * has no one-statement form): the same rows, in the same transaction.
 */
export class SequentialRegistrationWrites implements RegistrationWrites {
  constructor(
    private readonly tokens: TokenRepository,
    private readonly registrations: RegistrationRepository,
    private readonly links: EmailLinkRepository,
    private readonly outbox: OutboxPort,
  ) {}

  async claimAndRecord(write: ClaimedRegistration, tx: Tx): Promise<boolean> {
    if (!(await this.tokens.claimUse(write.registration.tokenId, write.registration.at, tx))) return false;
    await this.registrations.record(write.registration, tx, write.itemTitle);
    if (write.link) await this.links.issue(write.link, tx);
    if (write.mail) await this.outbox.enqueue(write.mail, tx);
    return true;
  }
}
