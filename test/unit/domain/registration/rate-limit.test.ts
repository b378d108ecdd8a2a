import { expect } from 'chai';
import { DEFAULT_RATE_LIMITS, graduatedMemoryMs, graduatedRetryAfterMs, graduatedStepSeconds, parseRateLimit, rateLimitPolicy, retryAfterSeconds } from '../../../../src/domain/registration/rate-limit.js';
import { dayIn, decideSignedInEnrolment, type SignedInEnrolmentFacts } from '../../../../src/domain/registration/registration.js';
import type { KnowledgeItem } from '../../../../src/domain/shared/knowledge.js';

describe('domain/rate-limit', () => {
  it('reads attempts per window in seconds, minutes, hours or days, and off', () => {
    expect(parseRateLimit('30/10m')).to.deep.equal({ ok: true, value: { points: 30, durationSeconds: 600 } });
    expect(parseRateLimit(' 5 / 1h ')).to.deep.equal({ ok: true, value: { points: 5, durationSeconds: 3600 } });
    expect(parseRateLimit('100/1d')).to.deep.equal({ ok: true, value: { points: 100, durationSeconds: 86_400 } });
    expect(parseRateLimit('7/45s')).to.deep.equal({ ok: true, value: { points: 7, durationSeconds: 45 } });
    expect(parseRateLimit('OFF')).to.deep.equal({ ok: true, value: null });
  });

  it('refuses anything else with a readable reason', () => {
    for (const bad of ['30', '30/10', 'ten/1m', '0/1m', '5/0m', '5/8d', '-1/1m', '2000000/1m', '']) {
      const r = parseRateLimit(bad);
      expect(r.ok, bad).to.equal(false);
      expect(!r.ok && r.error, bad).to.contain(`"${bad}"`);
    }
  });

  it('a policy takes the defaults for absent keys and names every bad key', () => {
    const policy = rateLimitPolicy({ email: 'off' });
    expect(policy).to.deep.equal({
      ok: true,
      value: { ip: { points: 30, durationSeconds: 600 }, email: null, token: { points: 100, durationSeconds: 600 }, unknownCode: { points: 10, durationSeconds: 3600, graduated: true } },
    });
    const bad = rateLimitPolicy({ ip: 'lots', token: '1/9d' });
    expect(bad.ok).to.equal(false);
    expect(!bad.ok && bad.error.map((e) => e.split(':')[0])).to.deep.equal(['ip', 'token']);
    expect(Object.keys(DEFAULT_RATE_LIMITS)).to.deep.equal(['ip', 'email', 'token', 'unknownCode']);
  });

  it('the unknown-code limit is graduated: a short pause after each attempt from the allowance on, a step longer each time, never the rest of the window', () => {
    const rule = { points: 10, durationSeconds: 3600, graduated: true };
    expect(graduatedStepSeconds(rule)).to.equal(15);
    const now = 1_000_000_000;
    // The stored end is the last attempt plus the window, or plus a day once at the allowance.
    const under = now + 3_600_000;
    const reached = now + 24 * 3_600_000;
    expect(graduatedMemoryMs(rule, 9)).to.equal(3_600_000);
    expect(graduatedMemoryMs(rule, 10)).to.equal(24 * 3_600_000);
    expect(graduatedRetryAfterMs(rule, 9, under, now)).to.equal(0);
    expect(graduatedRetryAfterMs(rule, 10, reached, now)).to.equal(15_000);
    expect(graduatedRetryAfterMs(rule, 11, reached, now)).to.equal(30_000);
    expect(graduatedRetryAfterMs(rule, 20, reached, now)).to.equal(165_000);
    // A minute after the 11th miss, the address is not paused any more (the old rule kept it shut for the hour).
    expect(graduatedRetryAfterMs(rule, 11, reached, now + 60_000)).to.equal(0);
    // However many attempts, a pause is at most the window.
    expect(graduatedRetryAfterMs(rule, 10_000, reached, now)).to.equal(3_600_000);
    // Someone guessing without pause: about thirty tries in the first hour, some hundred and twenty in a day.
    const triesWithin = (ms: number) => {
      let t = 0;
      let tries = 0;
      while (t < ms) {
        tries++;
        t += graduatedRetryAfterMs(rule, tries, t + graduatedMemoryMs(rule, tries), t);
      }
      return tries;
    };
    expect(triesWithin(3_600_000)).to.be.within(25, 35);
    expect(triesWithin(86_400_000)).to.be.within(100, 130);
  });

  it('Retry-After is whole seconds, at least one', () => {
    expect(retryAfterSeconds(0)).to.equal(1);
    expect(retryAfterSeconds(1001)).to.equal(2);
    expect(retryAfterSeconds(59_000)).to.equal(59);
  });
});

describe('domain/registration: signed-in enrolment and the alert day', () => {
  const NOW = new Date('2026-03-01T10:00:00Z');
  const item: KnowledgeItem = { ref: { type: 'topic', id: '1' }, title: 'T', origin: 'own', learnerUrl: '/t/1' };
  const facts: SignedInEnrolmentFacts = {
    portalEnabled: true,
    token: { enabled: true, expiresAt: null, maxUses: null, uses: 0 },
    item,
    user: { id: 'u', email: 'u@example.com', firstName: 'U', lastName: 'V', type: 'staff', role: null, status: 'active' },
    alreadyEnrolled: false,
    now: NOW,
  };
  const refused = (code: string) => ({ kind: 'refuse', reason: { code } });

  it('enrols with a usable token, or goes straight to the item when enrolled already (even through a closed token)', () => {
    expect(decideSignedInEnrolment(facts)).to.deep.equal({ kind: 'enrol', item });
    expect(decideSignedInEnrolment({ ...facts, alreadyEnrolled: true, token: { ...facts.token!, enabled: false } })).to.deep.equal({ kind: 'already_enrolled', item });
  });

  it('refuses: portal off, a suspended account, an unknown token, library content, then the token state', () => {
    expect(decideSignedInEnrolment({ ...facts, portalEnabled: false })).to.deep.equal(refused('REGISTRATION.UNAVAILABLE'));
    expect(decideSignedInEnrolment({ ...facts, user: { ...facts.user, status: 'suspended' } })).to.deep.equal(refused('REGISTRATION.UNAVAILABLE'));
    expect(decideSignedInEnrolment({ ...facts, token: null })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
    expect(decideSignedInEnrolment({ ...facts, item: { ...item, origin: 'library' } })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
    expect(decideSignedInEnrolment({ ...facts, item: null, alreadyEnrolled: true })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
    expect(decideSignedInEnrolment({ ...facts, token: { ...facts.token!, enabled: false } })).to.deep.equal(refused('TOKEN.DISABLED'));
    expect(decideSignedInEnrolment({ ...facts, token: { ...facts.token!, expiresAt: NOW } })).to.deep.equal(refused('TOKEN.EXPIRED'));
    expect(decideSignedInEnrolment({ ...facts, token: { ...facts.token!, maxUses: 2, uses: 2 } })).to.deep.equal(refused('TOKEN.USED_UP'));
  });

  it('dayIn: the calendar day in the portal’s time zone (UTC for an unknown zone)', () => {
    const lateUtc = new Date('2026-03-01T23:30:00Z');
    expect(dayIn(lateUtc, 'UTC')).to.equal('2026-03-01');
    expect(dayIn(lateUtc, 'Europe/Berlin')).to.equal('2026-03-02');
    expect(dayIn(lateUtc, 'America/New_York')).to.equal('2026-03-01');
    expect(dayIn(new Date('2026-03-02T03:00:00Z'), 'America/Los_Angeles')).to.equal('2026-03-01');
    expect(dayIn(lateUtc, 'Not/AZone')).to.equal('2026-03-01');
  });
});
