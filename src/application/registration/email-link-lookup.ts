import type { EmailLinkPurpose } from '../../domain/registration/registration.js';
import type { EmailLink } from '../../domain/registration/email-link.js';
import type { EmailLinkRepository } from '../../domain/ports/email-link-repository.port.js';
import type { SecretHasher } from '../../domain/ports/secret-hasher.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';

/** The stored link an emailed secret names, when it is of the expected purpose; malformed secrets never reach storage. */
export class EmailLinkLookup {
  constructor(
    private readonly links: EmailLinkRepository,
    private readonly hasher: SecretHasher,
  ) {}

  async find(purpose: EmailLinkPurpose, secret: string, tx?: Tx): Promise<EmailLink | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(secret)) return null;
    const link = await this.links.findByDigest(this.hasher.hash(secret), tx);
    return link && link.purpose === purpose ? link : null;
  }
}
