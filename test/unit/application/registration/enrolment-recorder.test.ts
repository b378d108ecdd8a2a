/*
 * Evidence of consent: the terms and privacy links a registrant agreed to on the form are recorded
 * with the enrolment it leads to — at once for a new account or a signed-in visitor, and when the
 * emailed sign-in link is used for a known email (with the time of the form, not of the click), and
 * with a signed-in person's one-click enrolment when that page asked for it.
 */
import { expect } from 'chai';
import { NOW } from '../../../support/fakes/index.js';
import { TERMS, PRIVACY, ada, withConsent, grace, setup, secretOf } from './scenarios/consent.scenario.js';

describe('application/registration/EnrolmentRecorder: consent is recorded', () => {
  it('a new account: the registration records when and to which links the registrant agreed', async () => {
    const { db, useCases } = setup();
    expect(await useCases.register.execute(withConsent)).to.deep.equal({ kind: 'accepted' });
    const created = db.state.users.find((u) => u.email === 'ada@example.com')!;
    expect(db.state.registrations).to.deep.equal([
      {
        tokenId: 'tok-topic', tokenNickname: 'Spring fair', item: { type: 'topic', id: '42' }, userId: created.id, newUser: true, at: NOW,
        registrant: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', type: 'prospect' },
        consent: { termsUrl: TERMS, privacyUrl: null, at: NOW },
      },
    ]);
  });

  it('without consent asked: no consent on the registration', async () => {
    const { db, useCases } = setup();
    await useCases.register.execute({ ...ada, consent: null });
    expect(db.state.registrations).to.have.length(1);
    expect(db.state.registrations[0]).not.to.have.property('consent');
  });

  it('a known email: the consent travels with the sign-in link and is recorded, as given on the form, when the link enrols', async () => {
    const { world, db, useCases } = setup();
    await useCases.register.execute({ ...withConsent, email: 'grace@example.com', consent: { termsUrl: TERMS, privacyUrl: PRIVACY } });
    expect(db.state.registrations).to.have.length(0);
    expect(db.state.links.map((l) => l.consent)).to.deep.equal([{ termsUrl: TERMS, privacyUrl: PRIVACY, at: NOW }]);
    world.clock.advance(10 * 60 * 1000);
    const usedAt = world.clock.now();
    expect((await useCases.confirmSignInLink.execute(secretOf(db.state.outbox[0]))).ok).to.equal(true);
    expect(db.state.registrations).to.deep.equal([
      {
        tokenId: 'tok-topic', tokenNickname: 'Spring fair', item: { type: 'topic', id: '42' }, userId: 'user-grace', newUser: false, at: usedAt,
        registrant: { email: 'grace@example.com', firstName: 'Grace', lastName: 'Last', type: 'client' },
        consent: { termsUrl: TERMS, privacyUrl: PRIVACY, at: NOW },
      },
    ]);
  });

  it('a known email registered without consent asked: the link enrols with no consent recorded', async () => {
    const { db, useCases } = setup();
    await useCases.register.execute({ ...ada, email: 'grace@example.com' });
    expect(db.state.links[0]).not.to.have.property('consent');
    expect((await useCases.confirmSignInLink.execute(secretOf(db.state.outbox[0]))).ok).to.equal(true);
    expect(db.state.registrations).to.have.length(1);
    expect(db.state.registrations[0]).not.to.have.property('consent');
  });

  it('a signed-in visitor registering their own email on the form: consent recorded with the enrolment', async () => {
    const { db, useCases } = setup();
    const outcome = await useCases.register.execute({ ...withConsent, email: 'grace@example.com' }, { signedIn: grace });
    expect(outcome).to.deep.equal({ kind: 'enrolled', redirectTo: '/learn/topic/42', created: true });
    expect(db.state.registrations.map((r) => r.consent)).to.deep.equal([{ termsUrl: TERMS, privacyUrl: null, at: NOW }]);
  });

  it('the one-click page without consent asked (no terms or privacy linked): nothing recorded as consent', async () => {
    const { db, useCases } = setup();
    expect(await useCases.enrolSignedIn.execute(grace, 'ABCD-EFGH-JKMN')).to.deep.equal({ kind: 'enrolled', redirectTo: '/learn/topic/42', created: true });
    expect(db.state.registrations).to.have.length(1);
    expect(db.state.registrations[0]).not.to.have.property('consent');
  });

  it('the one-click page with consent given: recorded with the enrolment, at the time of the click', async () => {
    const { world, db, useCases } = setup();
    world.clock.advance(5 * 60 * 1000);
    const clickedAt = world.clock.now();
    const outcome = await useCases.enrolSignedIn.execute(grace, 'ABCD-EFGH-JKMN', {}, { termsUrl: TERMS, privacyUrl: PRIVACY });
    expect(outcome).to.deep.equal({ kind: 'enrolled', redirectTo: '/learn/topic/42', created: true });
    expect(db.state.registrations).to.deep.equal([
      {
        tokenId: 'tok-topic', tokenNickname: 'Spring fair', item: { type: 'topic', id: '42' }, userId: 'user-grace', newUser: false, at: clickedAt,
        registrant: { email: 'grace@example.com', firstName: 'Grace', lastName: 'Last', type: 'client' },
        consent: { termsUrl: TERMS, privacyUrl: PRIVACY, at: clickedAt },
      },
    ]);
  });

  it('the one-click page with consent given, already enrolled: no second registration, no consent recorded', async () => {
    const { db, useCases } = setup();
    await useCases.enrolSignedIn.execute(grace, 'ABCD-EFGH-JKMN');
    const again = await useCases.enrolSignedIn.execute(grace, 'ABCD-EFGH-JKMN', {}, { termsUrl: null, privacyUrl: PRIVACY });
    expect(again).to.deep.equal({ kind: 'enrolled', redirectTo: '/learn/topic/42', created: false });
    expect(db.state.registrations).to.have.length(1);
    expect(db.state.registrations[0]).not.to.have.property('consent');
  });
});
