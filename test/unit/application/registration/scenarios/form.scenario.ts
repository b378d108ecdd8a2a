/*
 * The anonymous registration form's world: a topic and a pathway with a token each, a library
 * article, ten seats; the use cases built on it with no limits, caches or pacing.
 */
import { registrationUseCases, type RegistrationUseCases } from '../../../../../src/application/registration/registration-use-cases.js';
import type { RegistrantInput } from '../../../../../src/application/registration/registration-outcomes.js';
import type { OutgoingMail } from '../../../../../src/domain/mail/outgoing-mail.js';
import { item, makeWorld, seedToken, type World } from '../../../../support/fakes/index.js';

export const HOUR = 60 * 60 * 1000;
export const topic = item('topic', '42', { title: 'Fire safety', learnerUrl: '/learn/topic/42' });
export const pathway = item('pathway', '9', { title: 'Onboarding', learnerUrl: '/learn/pathway/9' });
export const libraryArticle = item('article', '7', { origin: 'library' });
export const TOPIC_CODE = 'ABCDEFGHJKMN'; // shown ABCD-EFGH-JKMN
export const PATHWAY_CODE = 'PQRSTVWXYZ12';

export const ada: RegistrantInput = { firstName: 'Ada', lastName: 'Lovelace', email: '  Ada@Example.COM ', code: 'abcd efgh jkmn' };
export const accepted = { kind: 'accepted' };
export const refused = (code: string) => ({ kind: 'refused', reason: { code } });

export function setup(configure: (w: World) => void = () => {}): { world: World; db: World['db']; useCases: RegistrationUseCases } {
  const world = makeWorld();
  world.db.state.items.push(topic, pathway, libraryArticle);
  world.db.state.seatsLeft = 10;
  seedToken(world.db, 'tok-topic', TOPIC_CODE, topic.ref, { nickname: 'Spring fair' });
  seedToken(world.db, 'tok-pathway', PATHWAY_CODE, pathway.ref, { nickname: null });
  configure(world);
  return { world, db: world.db, useCases: registrationUseCases(world.ports) };
}

/** The secret at the end of an emailed link. */
export function secretOf(mail: OutgoingMail | undefined): string {
  if (!mail) throw new Error('no mail');
  const link = String(mail.data['link']);
  return link.slice(link.lastIndexOf('/') + 1);
}

/** Everything a registration may write. */
export const written = (w: World) => {
  const { users, enrolments, registrations, links, outbox, passwords, seatsLeft, tokens } = w.db.state;
  return structuredClone({ users, enrolments, registrations, links, outbox, passwords, seatsLeft, tokens });
};
