import { ErrorCodes, refuse } from '../../domain/shared/errors.js';
import type { PasswordsPort } from '../../domain/ports/passwords.port.js';
import type { EmailLinkCompletion } from './link-completion.js';
import type { LinkCompletion } from './registration-outcomes.js';

/** Invitation: set the password and consume the link, as one; the adapter then signs the user in. */
export class AcceptInvitationUseCase {
  constructor(
    private readonly completion: EmailLinkCompletion,
    private readonly passwords: PasswordsPort,
  ) {}

  execute(secret: string, password: string): Promise<LinkCompletion> {
    return this.completion.complete('invitation', secret, async (link, tx) => {
      const set = await this.passwords.setPassword(link.userId, password, tx);
      return set.ok ? null : { ok: false, reason: refuse(ErrorCodes.PASSWORD_REJECTED), message: set.message };
    });
  }
}
