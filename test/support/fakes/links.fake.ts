import type { KnowledgeRef } from '../../../src/domain/shared/knowledge.js';
import type { EmailLinkPurpose } from '../../../src/domain/registration/registration.js';
import type { ConsentRecord } from '../../../src/domain/registration/registration-record.js';
import type { EmailLink } from '../../../src/domain/registration/email-link.js';
import type { EmailLinkRepository } from '../../../src/domain/ports/email-link-repository.port.js';
import type { Tx } from '../../../src/domain/ports/unit-of-work.port.js';
import type { FakeDb, StoredLink } from './fake-db.js';

export class FakeLinks implements EmailLinkRepository {
  findCalls = 0;
  constructor(private readonly db: FakeDb) {}

  async issue(
    input: { userId: string; purpose: EmailLinkPurpose; item: KnowledgeRef | null; tokenId: string | null; secretDigest: string; expiresAt: Date; now: Date; consent?: ConsentRecord | null },
    tx: Tx,
  ): Promise<EmailLink> {
    const state = this.db.inTx(tx);
    state.links = state.links.map((l) =>
      l.userId === input.userId && l.purpose === input.purpose && !l.usedAt && !l.revokedAt ? { ...l, revokedAt: input.now } : l,
    );
    const link: StoredLink = {
      id: this.db.newId('link-'), userId: input.userId, purpose: input.purpose, item: input.item, tokenId: input.tokenId,
      expiresAt: input.expiresAt, usedAt: null, revokedAt: null, secretDigest: input.secretDigest,
      ...(input.consent && { consent: input.consent }),
    };
    state.links.push(link);
    return link;
  }
  async findByDigest(secretDigest: string): Promise<EmailLink | null> {
    this.findCalls += 1;
    return this.db.state.links.find((l) => l.secretDigest === secretDigest) ?? null;
  }
  async consume(id: string, now: Date, tx: Tx): Promise<boolean> {
    const state = this.db.inTx(tx);
    const index = state.links.findIndex((l) => l.id === id);
    const l = state.links[index];
    if (!l || l.usedAt || l.revokedAt || l.expiresAt.getTime() <= now.getTime()) return false;
    state.links[index] = { ...l, usedAt: now };
    return true;
  }
  async revokeForUser(userId: string): Promise<number> {
    const state = this.db.state;
    let n = 0;
    state.links = state.links.map((l) => (l.userId === userId && !l.usedAt && !l.revokedAt ? (n++, { ...l, revokedAt: new Date() }) : l));
    return n;
  }
  async invitationPending(userId: string): Promise<boolean> {
    const invitations = this.db.state.links.filter((l) => l.userId === userId && l.purpose === 'invitation');
    return invitations.length > 0 && invitations.every((l) => !l.usedAt);
  }
}
