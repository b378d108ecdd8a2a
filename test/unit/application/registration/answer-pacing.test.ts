/* Accepted answers are held back to a new account's pace. */
import { expect } from 'chai';
import { user } from '../../../support/fakes/index.js';
import { ada, setup } from './scenarios/visitor.scenario.js';

describe('application/registration/AnswerPacing', () => {
  describe('timing of the answers', () => {
    it('known, pending and suspended emails are answered no sooner than new ones take (a moving average), up to a second', async () => {
      const pauses: number[] = [];
      const suspended = user('user-s', { email: 'sus@example.com', status: 'suspended' });
      const { world, useCases, tick } = setup({ pauses, configure: (w) => w.db.state.users.push(suspended) });
      const create = world.users.create.bind(world.users);
      world.users.create = async (input, tx) => {
        tick(40); // creating an account is the slow path
        return create(input, tx);
      };
      expect(await useCases.register.execute(ada)).to.deep.equal({ kind: 'accepted' });
      expect(pauses).to.deep.equal([]);
      expect(await useCases.register.execute({ ...ada, email: 'grace@example.com' })).to.deep.equal({ kind: 'accepted' });
      expect(await useCases.register.execute({ ...ada, email: 'sus@example.com' })).to.deep.equal({ kind: 'accepted' });
      expect(await useCases.register.execute(ada)).to.deep.equal({ kind: 'accepted' }); // now a pending invitation
      expect(pauses).to.deep.equal([40, 40, 40]);
      // The average follows: a slower creation lengthens the wait (0.9 × 40 + 0.1 × 5000), never past a second.
      world.users.create = async (input, tx) => {
        tick(5000);
        return create(input, tx);
      };
      await useCases.register.execute({ ...ada, email: 'slow@example.com' });
      await useCases.register.execute({ ...ada, email: 'grace@example.com' });
      expect(pauses.at(-1)).to.equal(536);
      for (let i = 0; i < 5; i++) await useCases.register.execute({ ...ada, email: `slow${i}@example.com` });
      await useCases.register.execute({ ...ada, email: 'grace@example.com' });
      expect(pauses.at(-1)).to.equal(1000);
    });

    it('a new account is held back to the known emails’ pace when answering those is the slower path', async () => {
      const pauses: number[] = [];
      const { world, useCases, tick } = setup({ pauses });
      const findByEmail = world.users.findByEmail.bind(world.users);
      world.users.findByEmail = async (email: string) => {
        const found = await findByEmail(email);
        if (found) tick(30); // a host where answering a known email is the slow path
        return found;
      };
      expect(await useCases.register.execute(ada)).to.deep.equal({ kind: 'accepted' });
      expect(await useCases.register.execute(ada)).to.deep.equal({ kind: 'accepted' }); // known now: 30 ms of work
      expect(pauses).to.deep.equal([]);
      expect(await useCases.register.execute({ ...ada, email: 'newcomer@example.com' })).to.deep.equal({ kind: 'accepted' });
      expect(pauses).to.deep.equal([30]);
    });
  });
});
