import type { EmailLinkRepository } from '../../domain/ports/email-link-repository.port.js';
import { normaliseEmail } from '../../domain/shared/user.js';

/**
 * A person's outstanding emailed links (invitation, sign-in) stop working: when the account is
 * deleted, or when its email changed (the links went to the old address).
 */
export class RevokeEmailedLinksUseCase {
  constructor(private readonly links: EmailLinkRepository) {}

  async execute(change: { userId: string } | { userId: string; email: string; previousEmail?: string }): Promise<void> {
    if ('email' in change && (!change.previousEmail || normaliseEmail(change.previousEmail) === normaliseEmail(change.email))) return;
    await this.links.revokeForUser(change.userId);
  }
}
