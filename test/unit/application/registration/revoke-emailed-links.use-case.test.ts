import { expect } from 'chai';
import { RevokeEmailedLinksUseCase } from '../../../../src/application/registration/revoke-emailed-links.use-case.js';
import type { EmailLinkRepository } from '../../../../src/domain/ports/email-link-repository.port.js';

describe('application/registration: revoking a person’s emailed links', () => {
  function setup() {
    const revoked: string[] = [];
    const links = { revokeForUser: async (userId: string) => void revoked.push(userId) } as unknown as EmailLinkRepository;
    return { revoked, revoke: new RevokeEmailedLinksUseCase(links) };
  }

  it('revokes every link of a deleted account', async () => {
    const { revoked, revoke } = setup();
    await revoke.execute({ userId: '7' });
    expect(revoked).to.deep.equal(['7']);
  });

  it('revokes when the email changed, and only then (case and spaces do not count as a change)', async () => {
    const { revoked, revoke } = setup();
    await revoke.execute({ userId: '1', email: 'new@example.com', previousEmail: 'old@example.com' });
    await revoke.execute({ userId: '2', email: 'Same@Example.com', previousEmail: ' same@example.com' });
    await revoke.execute({ userId: '3', email: 'x@example.com' });
    expect(revoked).to.deep.equal(['1']);
  });
});
