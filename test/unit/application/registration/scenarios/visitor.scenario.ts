/*
 * A visitor's world beyond the anonymous form: one topic with its token, Grace (an existing account,
 * often the signed-in visitor), ten seats; optional abuse limits, seat alerts, caches and a movable
 * monotonic clock whose pauses are recorded.
 */
import { registrationUseCases, type RegistrationUseCases } from '../../../../../src/application/registration/registration-use-cases.js';
import type { RegistrantInput } from '../../../../../src/application/registration/registration-outcomes.js';
import { ChangeSignal } from '../../../../../src/application/shared/read-cache.js';
import type { Token } from '../../../../../src/domain/tokens/token.js';
import { item, makeWorld, seedToken, user, type FakeRateLimiter, type FakeSeatAlerts, type World } from '../../../../support/fakes/index.js';

export const topic = item('topic', '42', { title: 'Fire safety', learnerUrl: '/learn/topic/42' });
export const CODE = 'ABCDEFGHJKMN';
export const ada: RegistrantInput = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', code: 'ABCD-EFGH-JKMN' };
export const grace = user('user-grace', { email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', type: 'staff' });
export const refused = (code: string) => ({ kind: 'refused', reason: { code } });
export const IP = '203.0.113.7';

export interface VisitorOptions {
  limits?: FakeRateLimiter;
  alerts?: FakeSeatAlerts;
  cacheMs?: number;
  token?: Partial<Token>;
  configure?: (w: World) => void;
  pauses?: number[];
}

export function setup(opts: VisitorOptions = {}): {
  world: World; db: World['db']; useCases: RegistrationUseCases; signal: ChangeSignal; tick: (ms: number) => number;
} {
  const world = makeWorld();
  world.db.state.items.push(topic);
  world.db.state.seatsLeft = 10;
  world.db.state.users.push(grace);
  seedToken(world.db, 'tok', CODE, topic.ref, { nickname: 'Fair', ...opts.token });
  opts.configure?.(world);
  let millis = 1_000_000;
  const signal = new ChangeSignal();
  const useCases = registrationUseCases({
    ...world.ports,
    ...(opts.limits && { limits: opts.limits }),
    ...(opts.alerts && { seatAlerts: opts.alerts }),
    signal,
    cacheMs: opts.cacheMs ?? 0,
    millis: () => millis,
    pause: async (ms) => {
      opts.pauses?.push(ms);
      millis += ms;
    },
  });
  return { world, db: world.db, useCases, signal, tick: (ms: number) => (millis += ms) };
}

export const written = (w: World) => {
  const { users, enrolments, registrations, links, outbox, seatsLeft, tokens } = w.db.state;
  return structuredClone({ users, enrolments, registrations, links, outbox, seatsLeft, tokens });
};
