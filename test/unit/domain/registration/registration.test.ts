import { expect } from 'chai';
import {
  checkEmailLink, decideRegistration, INVITATION_TTL_MS, SIGN_IN_LINK_TTL_MS, type EmailLinkState, type RegistrationFacts,
} from '../../../../src/domain/registration/registration.js';
import type { KnowledgeItem } from '../../../../src/domain/shared/knowledge.js';
import type { HostUser } from '../../../../src/domain/shared/user.js';

const NOW = new Date('2026-03-01T10:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

const item: KnowledgeItem = { ref: { type: 'pathway', id: '9' }, title: 'Onboarding', origin: 'own', learnerUrl: '/learn/pathway/9' };
const activeUser: HostUser = { id: 'u1', email: 'ada@example.com', firstName: 'Ada', lastName: 'L', type: 'client', role: null, status: 'active' };
const suspendedUser: HostUser = { ...activeUser, id: 'u2', status: 'suspended' };

/** A new person registering with a usable token on the portal's own content, seats left. */
const facts: RegistrationFacts = {
  portalEnabled: true,
  token: { enabled: true, expiresAt: at(60_000), maxUses: 10, uses: 3 },
  item,
  existingUser: null,
  invitationPending: false,
  seatsLeft: 5,
  now: NOW,
};

const refused = (code: string) => ({ kind: 'refuse', reason: { code } });

describe('domain/registration', () => {
  describe('decideRegistration', () => {
    describe('outcomes', () => {
      it('creates a prospect for a new person', () => {
        const d = decideRegistration(facts);
        expect(d).to.deep.equal({ kind: 'create_prospect', item });
        expect(d.kind === 'create_prospect' && d.item).to.equal(item);
      });

      it('treats seatsLeft null as unlimited', () => {
        expect(decideRegistration({ ...facts, seatsLeft: null })).to.deep.equal({ kind: 'create_prospect', item });
      });

      it('creates a prospect with exactly one seat left', () => {
        expect(decideRegistration({ ...facts, seatsLeft: 1 })).to.deep.equal({ kind: 'create_prospect', item });
      });

      it('refuses a new person when no seat is left', () => {
        expect(decideRegistration({ ...facts, seatsLeft: 0 })).to.deep.equal(refused('SEATS.EXHAUSTED'));
        expect(decideRegistration({ ...facts, seatsLeft: -2 })).to.deep.equal(refused('SEATS.EXHAUSTED'));
      });

      it('sends an active existing account to a sign-in link', () => {
        const d = decideRegistration({ ...facts, existingUser: activeUser });
        expect(d).to.deep.equal({ kind: 'existing_account', item, user: activeUser, answerAs: null });
      });

      it('re-sends the invitation of an account whose invitation is pending', () => {
        const d = decideRegistration({ ...facts, existingUser: activeUser, invitationPending: true });
        expect(d).to.deep.equal({ kind: 'resend_invitation', item, user: activeUser, answerAs: null });
      });

      it('stays silent for a suspended account, pending invitation or not', () => {
        expect(decideRegistration({ ...facts, existingUser: suspendedUser })).to.deep.equal({ kind: 'silent', answerAs: null });
        expect(decideRegistration({ ...facts, existingUser: suspendedUser, invitationPending: true })).to.deep.equal({ kind: 'silent', answerAs: null });
      });

      it('does not need a seat for existing accounts, but answers as a new email would when none is left', () => {
        const noSeats = { code: 'SEATS.EXHAUSTED' };
        expect(decideRegistration({ ...facts, seatsLeft: 0, existingUser: activeUser })).to.deep.equal({ kind: 'existing_account', item, user: activeUser, answerAs: noSeats });
        expect(decideRegistration({ ...facts, seatsLeft: 0, existingUser: activeUser, invitationPending: true })).to.deep.include({ kind: 'resend_invitation', answerAs: noSeats });
        expect(decideRegistration({ ...facts, seatsLeft: 0, existingUser: suspendedUser })).to.deep.equal({ kind: 'silent', answerAs: noSeats });
        expect(decideRegistration({ ...facts, seatsLeft: null, existingUser: activeUser })).to.deep.include({ kind: 'existing_account', answerAs: null });
      });
    });

    describe('precedence', () => {
      // Every later check failing at once; each step of the chain lifts one failure.
      const worst: RegistrationFacts = {
        portalEnabled: false,
        token: null,
        item: null,
        existingUser: suspendedUser,
        invitationPending: true,
        seatsLeft: 0,
        now: NOW,
      };
      const brokenToken = { enabled: false, expiresAt: at(0), maxUses: 1, uses: 1 };

      it('1. portal off comes first', () => {
        expect(decideRegistration(worst)).to.deep.equal(refused('REGISTRATION.UNAVAILABLE'));
        expect(decideRegistration({ ...facts, portalEnabled: false })).to.deep.equal(refused('REGISTRATION.UNAVAILABLE'));
        expect(decideRegistration({ ...worst, token: brokenToken })).to.deep.equal(refused('REGISTRATION.UNAVAILABLE'));
      });

      it('2. then an unknown token', () => {
        expect(decideRegistration({ ...worst, portalEnabled: true })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
        expect(decideRegistration({ ...facts, token: null })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
        expect(decideRegistration({ ...facts, token: null, existingUser: activeUser })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      });

      it('3. then the token state: disabled, expired (exactly now included), used up', () => {
        const open = { ...worst, portalEnabled: true };
        expect(decideRegistration({ ...open, token: brokenToken })).to.deep.equal(refused('TOKEN.DISABLED'));
        expect(decideRegistration({ ...open, token: { ...brokenToken, enabled: true } })).to.deep.equal(refused('TOKEN.EXPIRED'));
        expect(decideRegistration({ ...open, token: { ...brokenToken, enabled: true, expiresAt: null } })).to.deep.equal(refused('TOKEN.USED_UP'));
        // Against otherwise perfect facts, for new and existing people alike.
        expect(decideRegistration({ ...facts, token: { ...facts.token!, expiresAt: NOW } })).to.deep.equal(refused('TOKEN.EXPIRED'));
        expect(decideRegistration({ ...facts, existingUser: activeUser, token: { ...facts.token!, uses: 10 } })).to.deep.equal(refused('TOKEN.USED_UP'));
        expect(decideRegistration({ ...facts, token: { ...facts.token!, maxUses: null, uses: 999 } }).kind).to.equal('create_prospect');
      });

      it('4. then an item that has gone or is library content reads as an unknown token', () => {
        const open = { ...worst, portalEnabled: true, token: facts.token };
        expect(decideRegistration(open)).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
        expect(decideRegistration({ ...open, item: { ...item, origin: 'library' } })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
        expect(decideRegistration({ ...facts, item: null })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
        expect(decideRegistration({ ...facts, item: { ...item, origin: 'library' }, existingUser: activeUser })).to.deep.equal(
          refused('TOKEN.NOT_RECOGNISED'),
        );
      });

      it('5. then a suspended account is silent (before pending invitation), answered as a new email would be', () => {
        expect(decideRegistration({ ...worst, portalEnabled: true, token: facts.token, item })).to.deep.equal({ kind: 'silent', answerAs: { code: 'SEATS.EXHAUSTED' } });
      });

      it('6. then a pending invitation, 7. an existing account, 8. seats for new people', () => {
        const ready = { ...worst, portalEnabled: true, token: facts.token, item };
        expect(decideRegistration({ ...ready, existingUser: activeUser }).kind).to.equal('resend_invitation');
        expect(decideRegistration({ ...ready, existingUser: activeUser, invitationPending: false }).kind).to.equal('existing_account');
        expect(decideRegistration({ ...ready, existingUser: null, invitationPending: false })).to.deep.equal(refused('SEATS.EXHAUSTED'));
        expect(decideRegistration({ ...ready, existingUser: null, invitationPending: false, seatsLeft: null }).kind).to.equal('create_prospect');
      });
    });
  });

  describe('checkEmailLink', () => {
    const live: EmailLinkState = { expiresAt: at(1), usedAt: null, revokedAt: null };
    const invalid = { ok: false, reason: { code: 'LINK.INVALID' } };

    it('accepts a live link', () => {
      expect(checkEmailLink(live, NOW)).to.deep.equal({ ok: true });
    });

    it('refuses a missing link as invalid', () => {
      expect(checkEmailLink(null, NOW)).to.deep.equal(invalid);
    });

    it('refuses a revoked link as invalid, even if also used and expired', () => {
      expect(checkEmailLink({ ...live, revokedAt: at(-5) }, NOW)).to.deep.equal(invalid);
      expect(checkEmailLink({ expiresAt: at(-1), usedAt: at(-2), revokedAt: at(-3) }, NOW)).to.deep.equal(invalid);
    });

    it('refuses a used link as used, even if also expired', () => {
      expect(checkEmailLink({ ...live, usedAt: at(-5) }, NOW)).to.deep.equal({ ok: false, reason: { code: 'LINK.USED' } });
      expect(checkEmailLink({ ...live, expiresAt: at(-1), usedAt: at(-5) }, NOW)).to.deep.equal({ ok: false, reason: { code: 'LINK.USED' } });
    });

    it('refuses a link from its expiry on: exactly at now counts as expired', () => {
      expect(checkEmailLink({ ...live, expiresAt: at(0) }, NOW)).to.deep.equal({ ok: false, reason: { code: 'LINK.EXPIRED' } });
      expect(checkEmailLink({ ...live, expiresAt: at(-1) }, NOW)).to.deep.equal({ ok: false, reason: { code: 'LINK.EXPIRED' } });
    });

    it('lives 72 hours for an invitation and 30 minutes for a sign-in link', () => {
      expect(INVITATION_TTL_MS).to.equal(259_200_000);
      expect(SIGN_IN_LINK_TTL_MS).to.equal(1_800_000);
    });
  });
});
