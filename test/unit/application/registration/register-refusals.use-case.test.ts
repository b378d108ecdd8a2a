/* The registration form's refusals, and the races it loses: everything made before is rolled back. */
import { expect } from 'chai';
import type { Token } from '../../../../src/domain/tokens/token.js';
import { NOW, seedToken, tokenIn, user } from '../../../support/fakes/index.js';
import { libraryArticle, ada, accepted, refused, setup, written } from './scenarios/form.scenario.js';

describe('application/registration/RegisterUseCase: refusals and races', () => {
  describe('register: refusals', () => {
    it('portal switched off: REGISTRATION.UNAVAILABLE, nothing written', async () => {
      const { world, useCases } = setup((w) => {
        w.db.state.portalEnabled = false;
      });
      const before = written(world);
      expect(await useCases.register.execute(ada)).to.deep.equal(refused('REGISTRATION.UNAVAILABLE'));
      expect(written(world)).to.deep.equal(before);
    });

    it('unknown code: TOKEN.NOT_RECOGNISED', async () => {
      const { world, useCases } = setup();
      const before = written(world);
      expect(await useCases.register.execute({ ...ada, code: 'ZZZZ-ZZZZ-ZZZZ' })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      expect(written(world)).to.deep.equal(before);
    });

    it('garbage code: TOKEN.NOT_RECOGNISED, same as unknown', async () => {
      const { useCases } = setup();
      expect(await useCases.register.execute({ ...ada, code: "<script>' OR 1=1" })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      expect(await useCases.register.execute({ ...ada, code: 'ABC' })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
    });

    it('disabled, expired and used-up tokens: the specific reason, for new and existing emails alike', async () => {
      const cases: [Partial<Token>, string][] = [
        [{ enabled: false }, 'TOKEN.DISABLED'],
        [{ expiresAt: NOW }, 'TOKEN.EXPIRED'],
        [{ maxUses: 3, uses: 3 }, 'TOKEN.USED_UP'],
      ];
      for (const [state, code] of cases) {
        const { world, useCases } = setup((w) => {
          w.db.state.tokens = w.db.state.tokens.map((t) => (t.id === 'tok-topic' ? { ...t, ...state } : t));
          w.db.state.users.push(user('user-grace', { email: 'grace@example.com' }));
        });
        const before = written(world);
        expect(await useCases.register.execute(ada), code).to.deep.equal(refused(code));
        expect(await useCases.register.execute({ ...ada, email: 'grace@example.com' }), code).to.deep.equal(refused(code));
        expect(written(world)).to.deep.equal(before);
      }
    });

    it("token on library content or on an item that has gone: TOKEN.NOT_RECOGNISED", async () => {
      const { useCases } = setup((w) => {
        seedToken(w.db, 'tok-lib', 'L1BRARY00000', libraryArticle.ref);
        seedToken(w.db, 'tok-gone', 'G0NE00000000', { type: 'topic', id: 'deleted' });
      });
      expect(await useCases.register.execute({ ...ada, code: 'library00000' })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      expect(await useCases.register.execute({ ...ada, code: 'gone-0000-0000' })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
    });

    it('no seat left for a new email: SEATS.EXHAUSTED, no use claimed, nothing written', async () => {
      const { world, db, useCases } = setup((w) => {
        w.db.state.seatsLeft = 0;
      });
      const before = written(world);
      expect(await useCases.register.execute(ada)).to.deep.equal(refused('SEATS.EXHAUSTED'));
      // A new email asks for no seat count: the atomic claim decides, and its refusal rolls everything back.
      expect(world.seats.claimCalls).to.equal(1);
      expect(world.tokens.claimCalls).to.equal(0);
      expect(db.rollbacks).to.equal(1);
      expect(written(world)).to.deep.equal(before);
    });
  });

  describe('register: races, rolled back', () => {
    it('last use taken by someone else: TOKEN.USED_UP, and the user, seat, enrolment, record and mail made before rolled back', async () => {
      const { world, db, useCases } = setup((w) => {
        w.db.state.tokens = w.db.state.tokens.map((t) => (t.id === 'tok-topic' ? { ...t, maxUses: 1 } : t));
        w.tokens.beforeClaim = () => {
          const s = w.db.state;
          s.tokens = s.tokens.map((t) => (t.id === 'tok-topic' ? { ...t, uses: 1 } : t));
        };
      });
      const before = written(world);
      expect(await useCases.register.execute(ada)).to.deep.equal(refused('TOKEN.USED_UP'));
      expect(world.tokens.claimCalls).to.equal(1);
      expect(db.rollbacks).to.equal(1);
      expect(db.commits).to.equal(0);
      expect(written(world)).to.deep.equal(before);
      // The use is claimed last, so that the token's row stays locked as briefly as possible.
      expect(world.seats.claimCalls).to.equal(1);
      expect(world.users.createCalls).to.have.length(1);
    });

    it('token disabled or deleted meanwhile: its state now, or TOKEN.NOT_RECOGNISED', async () => {
      const disabled = setup((w) => {
        w.tokens.beforeClaim = () => {
          w.db.state.tokens = w.db.state.tokens.map((t) => ({ ...t, enabled: false }));
        };
      });
      expect(await disabled.useCases.register.execute(ada)).to.deep.equal(refused('TOKEN.DISABLED'));
      const deleted = setup((w) => {
        w.tokens.beforeClaim = () => {
          w.db.state.tokens = [];
        };
      });
      expect(await deleted.useCases.register.execute(ada)).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      expect(deleted.db.state.users).to.have.length(0);
    });

    it('seat claim lost: SEATS.EXHAUSTED, no use taken, nothing written', async () => {
      const { world, db, useCases } = setup((w) => {
        w.seats.claimResult = false;
      });
      const before = written(world);
      expect(await useCases.register.execute(ada)).to.deep.equal(refused('SEATS.EXHAUSTED'));
      expect(world.tokens.claimCalls).to.equal(0);
      expect(tokenIn(db, 'tok-topic').uses).to.equal(0);
      expect(db.rollbacks).to.equal(1);
      expect(written(world)).to.deep.equal(before);
      expect(world.users.createCalls).to.have.length(0);
    });

    it('a twin submit that committed first: accepted, and this one rolled back', async () => {
      const { world, db, useCases } = setup();
      const claim = world.seats.claim.bind(world.seats);
      world.seats.claim = async (tx) => {
        const won = await claim(tx);
        db.state.users.push(user('user-twin', { email: 'ada@example.com', type: 'prospect' }));
        return won;
      };
      expect(await useCases.register.execute(ada)).to.deep.equal(accepted);
      expect(world.users.createCalls).to.have.length(0);
      expect(db.rollbacks).to.equal(1);
      expect(db.state.outbox).to.have.length(0);
      expect(tokenIn(db, 'tok-topic').uses).to.equal(0);
    });

    it('an unexpected error rolls back and is rethrown', async () => {
      const { world, db, useCases } = setup();
      world.enrolments.enrol = async () => {
        throw new Error('host down');
      };
      let thrown: unknown;
      try {
        await useCases.register.execute(ada);
      } catch (e) {
        thrown = e;
      }
      expect((thrown as Error).message).to.equal('host down');
      expect(db.state.users).to.have.length(0);
      expect(tokenIn(db, 'tok-topic').uses).to.equal(0);
      expect(db.state.seatsLeft).to.equal(10);
    });
  });
});
