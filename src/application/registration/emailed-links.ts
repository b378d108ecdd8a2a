import type { KnowledgeItem } from '../../domain/shared/knowledge.js';
import { INVITATION_TTL_MS, SIGN_IN_LINK_TTL_MS, type EmailLinkPurpose } from '../../domain/registration/registration.js';
import type { Token } from '../../domain/tokens/token.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { LinkPathsPort } from '../../domain/ports/link-paths.port.js';
import type { RandomSource } from '../../domain/ports/random.port.js';
import type { ConsentRecord } from '../../domain/registration/registration-record.js';
import type { EmailLinkRepository, NewEmailLink } from '../../domain/ports/email-link-repository.port.js';
import type { OutboxPort } from '../../domain/ports/outbox.port.js';
import type { OutgoingMail } from '../../domain/mail/outgoing-mail.js';
import type { SecretHasher } from '../../domain/ports/secret-hasher.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import type { Attribution } from '../../domain/reports/attribution.js';

const LINK_SECRET_BYTES = 32;

export interface EmailedLinkPorts {
  readonly links: EmailLinkRepository;
  readonly outbox: OutboxPort;
  readonly random: RandomSource;
  readonly hasher: SecretHasher;
  readonly linkPaths: LinkPathsPort;
}

/** One emailed link to send: to whom, for what, on which token. */
export interface LinkToSend {
  readonly publicBaseUrl: string;
  readonly purpose: EmailLinkPurpose;
  readonly user: HostUser;
  readonly item: KnowledgeItem;
  readonly token: Token;
  readonly now: Date;
  readonly consent: ConsentRecord | null;
  /** The campaign the registrant came through, kept with the link until the enrolment it makes. */
  readonly attribution?: Attribution | null;
}

/**
 * Invitations and sign-in links: a fresh secret (32 random bytes; only its SHA-256 digest is stored),
 * the link stored (revoking the user's earlier one of that purpose) and the mail carrying it queued,
 * in the caller's transaction. The link's path is the one the manifest declares.
 */
export class EmailedLinks {
  constructor(private readonly p: EmailedLinkPorts) {}

  async send(tx: Tx, link: LinkToSend): Promise<void> {
    const prepared = this.prepare(link);
    await this.p.links.issue(prepared.link, tx);
    await this.p.outbox.enqueue(prepared.mail, tx);
  }

  /** The link to store (a fresh secret, only its digest kept) and the mail carrying it, for the caller to write. */
  prepare(link: LinkToSend): { readonly link: NewEmailLink; readonly mail: OutgoingMail } {
    const { purpose, user, item, now, consent, attribution } = link;
    const secret = this.p.random.secret(LINK_SECRET_BYTES);
    const expiresAt = new Date(now.getTime() + (purpose === 'invitation' ? INVITATION_TTL_MS : SIGN_IN_LINK_TTL_MS));
    const stored: NewEmailLink = {
      purpose, item: item.ref, secretDigest: this.p.hasher.hash(secret), expiresAt, now, userId: user.id, tokenId: link.token.id, ...(consent && { consent }), ...(attribution && { attribution }),
    };
    const mail: OutgoingMail = {
      to: user.email,
      template: purpose === 'invitation' ? 'invitation' : 'sign-in-link',
      data: {
        firstName: user.firstName,
        itemTitle: item.title,
        itemType: item.ref.type,
        link: link.publicBaseUrl.replace(/\/+$/, '') + this.path(purpose, secret),
        expiresAt: expiresAt.toISOString(),
      },
    };
    return { link: stored, mail };
  }

  private path(purpose: EmailLinkPurpose, secret: string): string {
    return purpose === 'invitation' ? this.p.linkPaths.invitation(secret) : this.p.linkPaths.signIn(secret);
  }
}
