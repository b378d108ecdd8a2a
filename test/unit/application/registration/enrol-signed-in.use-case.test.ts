/* The one-click page of a signed-in visitor: its preview and its action. */
import { expect } from 'chai';
import type { Token } from '../../../../src/domain/tokens/token.js';
import { NOW, tokenIn } from '../../../support/fakes/index.js';
import { topic, CODE, grace, refused, setup } from './scenarios/visitor.scenario.js';

describe('application/registration/EnrolSignedInUseCase', () => {
  describe('the one-click page (enrol, previewFor)', () => {
    it('enrols with one use; a second click finds them enrolled and takes nothing', async () => {
      const { db, useCases } = setup();
      expect(await useCases.openOneClickEnrolment.execute(grace, 'abcd-efgh-jkmn')).to.deep.equal({ kind: 'usable', code: 'ABCD-EFGH-JKMN', item: topic, tokenId: 'tok', enrolled: false });
      expect(await useCases.enrolSignedIn.execute(grace, 'abcd efgh jkmn')).to.deep.equal({ kind: 'enrolled', redirectTo: '/learn/topic/42', created: true });
      expect(await useCases.enrolSignedIn.execute(grace, 'ABCD-EFGH-JKMN')).to.deep.equal({ kind: 'enrolled', redirectTo: '/learn/topic/42', created: false });
      expect(tokenIn(db, 'tok').uses).to.equal(1);
      expect(db.state.registrations.map((r) => [r.userId, r.newUser])).to.deep.equal([['user-grace', false]]);
      expect((await useCases.openOneClickEnrolment.execute(grace, 'ABCD-EFGH-JKMN')).kind === 'usable' && (await useCases.openOneClickEnrolment.execute(grace, 'ABCD-EFGH-JKMN'))).to.deep.include({ enrolled: true });
    });

    it('a twin click that enrolled them meanwhile: the use is given back', async () => {
      const { world, db, useCases } = setup();
      world.enrolments.enrol = async () => ({ created: false });
      expect(await useCases.enrolSignedIn.execute(grace, CODE)).to.deep.equal({ kind: 'enrolled', redirectTo: '/learn/topic/42', created: false });
      expect(db.rollbacks).to.equal(1);
      expect(tokenIn(db, 'tok').uses).to.equal(0);
      expect(db.state.registrations).to.have.length(0);
    });

    it('refuses disabled, expired and used-up tokens with their reason, unknown codes generically', async () => {
      const cases: [Partial<Token>, string][] = [[{ enabled: false }, 'TOKEN.DISABLED'], [{ expiresAt: NOW }, 'TOKEN.EXPIRED'], [{ maxUses: 1, uses: 1 }, 'TOKEN.USED_UP']];
      for (const [state, code] of cases) {
        const { useCases } = setup({ token: state });
        expect(await useCases.enrolSignedIn.execute(grace, CODE), code).to.deep.equal(refused(code));
        expect(await useCases.openOneClickEnrolment.execute(grace, CODE), code).to.deep.equal(refused(code));
      }
      const { useCases } = setup();
      expect(await useCases.enrolSignedIn.execute(grace, 'ZZZZ-ZZZZ-ZZZZ')).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
    });

    it('someone already enrolled still reaches the item through a closed token', async () => {
      const { useCases } = setup({ token: { enabled: false }, configure: (w) => w.db.state.enrolments.push({ userId: 'user-grace', item: topic.ref }) });
      expect(await useCases.openOneClickEnrolment.execute(grace, CODE)).to.deep.equal({ kind: 'usable', code: 'ABCD-EFGH-JKMN', item: topic, tokenId: 'tok', enrolled: true });
      expect(await useCases.enrolSignedIn.execute(grace, CODE)).to.deep.equal({ kind: 'enrolled', redirectTo: '/learn/topic/42', created: false });
    });

    it('the last use taken by someone else meanwhile: the state now, and nothing written', async () => {
      const { world, db, useCases } = setup({ token: { maxUses: 1 } });
      world.tokens.beforeClaim = () => {
        db.state.tokens = db.state.tokens.map((t) => ({ ...t, uses: 1 }));
      };
      expect(await useCases.enrolSignedIn.execute(grace, CODE)).to.deep.equal(refused('TOKEN.USED_UP'));
      expect(db.state.enrolments).to.have.length(0);
    });
  });
});
