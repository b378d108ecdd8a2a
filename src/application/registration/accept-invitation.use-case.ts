import { ErrorCodes, refuse } from '../../domain/shared/errors.js';
import type { PasswordsPort } from '../../domain/ports/passwords.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import type { RegistrationRepository } from '../../domain/ports/registration-repository.port.js';
import type { EmailLinkCompletion } from './link-completion.js';
import type { LinkCompletion } from './registration-outcomes.js';

/** Invitation: set the password, consume the link and mark the registration activated, as one; the adapter then signs the user in. */
export class AcceptInvitationUseCase {
  constructor(
    private readonly completion: EmailLinkCompletion,
    private readonly passwords: PasswordsPort,
    /** Absent in unit tests that do not look at the reports. */
    private readonly registrations?: RegistrationRepository,
    /** Raises registration.activated in the same transaction (absent: no webhooks). */
    private readonly notices?: { activated(userId: string, tx: Tx): Promise<void> } | null,
  ) {}

  execute(secret: string, password: string): Promise<LinkCompletion> {
    return this.completion.complete('invitation', secret, async (link, tx, now) => {
      const set = await this.passwords.setPassword(link.userId, password, tx);
      if (!set.ok) return { ok: false, reason: refuse(ErrorCodes.PASSWORD_REJECTED), message: set.message };
      // The account is live now: its registration moves from invited to activated in the reports.
      await this.registrations?.markActivated(link.userId, now, tx);
      await this.notices?.activated(link.userId, tx);
      return null;
    });
  }
}
