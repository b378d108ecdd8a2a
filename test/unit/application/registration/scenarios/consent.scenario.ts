/* Evidence of consent's world: one topic with its token, Grace (an existing account), ten seats. */
import { registrationUseCases, type RegistrationUseCases } from '../../../../../src/application/registration/registration-use-cases.js';
import type { RegistrantInput } from '../../../../../src/application/registration/registration-outcomes.js';
import type { OutgoingMail } from '../../../../../src/domain/mail/outgoing-mail.js';
import { item, makeWorld, seedToken, user, type World } from '../../../../support/fakes/index.js';

export const topic = item('topic', '42', { title: 'Fire safety', learnerUrl: '/learn/topic/42' });
export const TERMS = 'https://acme.example/terms';
export const PRIVACY = 'https://acme.example/privacy';
export const ada: RegistrantInput = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', code: 'ABCD-EFGH-JKMN' };
export const withConsent: RegistrantInput = { ...ada, consent: { termsUrl: TERMS, privacyUrl: null } };
export const grace = user('user-grace', { email: 'grace@example.com', firstName: 'Grace' });

export function setup(): { world: World; db: World['db']; useCases: RegistrationUseCases } {
  const world = makeWorld();
  world.db.state.items.push(topic);
  world.db.state.seatsLeft = 10;
  seedToken(world.db, 'tok-topic', 'ABCDEFGHJKMN', topic.ref, { nickname: 'Spring fair' });
  world.db.state.users.push(grace);
  return { world, db: world.db, useCases: registrationUseCases(world.ports) };
}

export const secretOf = (mail: OutgoingMail | undefined): string => {
  const link = String(mail?.data['link']);
  return link.slice(link.lastIndexOf('/') + 1);
};
