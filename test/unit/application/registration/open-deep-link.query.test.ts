/* The deep-link page's preview of a code. */
import { expect } from 'chai';
import { seedToken } from '../../../support/fakes/index.js';
import { topic, libraryArticle, refused, setup, written } from './scenarios/form.scenario.js';

describe('application/registration/OpenDeepLinkQuery', () => {
  describe('preview', () => {
    it('shows a usable code in display form with its item, and consumes nothing', async () => {
      const { world, db, useCases } = setup();
      const before = written(world);
      expect(await useCases.openDeepLink.execute('abcd efgh jkmn')).to.deep.equal({ kind: 'usable', code: 'ABCD-EFGH-JKMN', item: topic, tokenId: 'tok-topic' });
      expect(written(world)).to.deep.equal(before);
      expect(db.commits + db.rollbacks).to.equal(0);
    });

    it('refuses like register does', async () => {
      const { db, useCases } = setup((w) => seedToken(w.db, 'tok-lib', 'L1BRARY00000', libraryArticle.ref));
      expect(await useCases.openDeepLink.execute('nope-nope-nope')).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      expect(await useCases.openDeepLink.execute('!!')).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      expect(await useCases.openDeepLink.execute('LIBRARY00000')).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      db.state.tokens = db.state.tokens.map((t) => ({ ...t, enabled: false }));
      expect(await useCases.openDeepLink.execute('abcd efgh jkmn')).to.deep.equal(refused('TOKEN.DISABLED'));
      db.state.portalEnabled = false;
      expect(await useCases.openDeepLink.execute('abcd efgh jkmn')).to.deep.equal(refused('REGISTRATION.UNAVAILABLE'));
    });
  });
});
