/* The emailed links a registration sends: what the mail carries, what is stored, where the link points. */
import { expect } from 'chai';
import { NOW, PORTAL, sha256 } from '../../../support/fakes/index.js';
import { HOUR, ada, setup, secretOf } from './scenarios/form.scenario.js';

describe('application/registration/EmailedLinks', () => {
  describe('register: a new email', () => {
    it('issues an invitation link that stores only the digest of the secret mailed', async () => {
      const { db, useCases } = setup();
      await useCases.register.execute(ada);
      const userId = db.state.users[0]!.id;
      expect(db.state.outbox).to.have.length(1);
      const mail = db.state.outbox[0]!;
      const secret = secretOf(mail);
      expect(secret).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(mail).to.deep.equal({
        to: 'ada@example.com',
        template: 'invitation',
        data: {
          firstName: 'Ada',
          itemTitle: 'Fire safety',
          itemType: 'topic',
          link: `https://learn.acme.test/self-registration/invitation/${secret}`,
          expiresAt: new Date(NOW.getTime() + 72 * HOUR).toISOString(),
        },
      });
      expect(String(mail.data['link']).startsWith(`${PORTAL.publicBaseUrl}/`)).to.equal(true);

      expect(db.state.links).to.have.length(1);
      const link = db.state.links[0]!;
      expect(link).to.deep.include({
        userId, purpose: 'invitation', item: { type: 'topic', id: '42' }, tokenId: 'tok-topic',
        expiresAt: new Date(NOW.getTime() + 72 * HOUR), usedAt: null, revokedAt: null,
      });
      expect(link.secretDigest).to.equal(sha256(secret));
      expect(JSON.stringify(db.state.links)).not.to.include(secret); // storage holds the digest only
    });

    it("builds the link from the portal's public base URL, keeping its path", async () => {
      const { world, db, useCases } = setup((w) => {
        w.portal.portal = { ...w.portal.portal, publicBaseUrl: 'https://example.org/academy' };
      });
      await useCases.register.execute(ada);
      const link = String(db.state.outbox[0]!.data['link']);
      expect(world.portal.portal.publicBaseUrl).to.equal('https://example.org/academy');
      expect(link).to.equal(`https://example.org/academy/self-registration/invitation/${secretOf(db.state.outbox[0])}`);
    });
  });
});
