import type { EmailLinkCompletion } from './link-completion.js';
import type { LinkCompletion } from './registration-outcomes.js';

/** Sign-in link of an existing account: consume it and enrol, as one; the adapter then signs the user in. */
export class ConfirmSignInLinkUseCase {
  constructor(private readonly completion: EmailLinkCompletion) {}

  execute(secret: string): Promise<LinkCompletion> {
    return this.completion.complete('sign_in', secret, async () => null);
  }
}
