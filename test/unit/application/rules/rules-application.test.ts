/* The rules' application pieces with fakes: the cache, a registration's options, reconciling a changed user, manual removals. */
import { expect } from 'chai';
import { RegistrationRules } from '../../../../src/application/rules/registration-rules.js';
import { ReconcileUserRulesUseCase } from '../../../../src/application/rules/reconcile-user-rules.use-case.js';
import { RecordEnrolmentRemovalUseCase } from '../../../../src/application/rules/record-enrolment-removal.use-case.js';
import { RulesCache } from '../../../../src/application/rules/rules-cache.js';
import { rangesOf } from '../../../../src/application/rules/rule-backfill.js';
import type { EnrolmentRule, RuleConditions } from '../../../../src/domain/rules/enrolment-rule.js';
import type { Arrival } from '../../../../src/domain/rules/rule-matching.js';
import type { EnrolmentSource, EnrolmentsPort } from '../../../../src/domain/ports/enrolments.port.js';
import type { KnowledgeRef } from '../../../../src/domain/shared/knowledge.js';
import type { HostUser } from '../../../../src/domain/shared/user.js';

const topic = (id: string): KnowledgeRef => ({ type: 'topic', id });
const rule = (id: string, enrolIn: KnowledgeRef[], c: Partial<RuleConditions> = {}, extra: Partial<EnrolmentRule> = {}): EnrolmentRule => ({
  id, name: `r${id}`, enabled: true, withdrawOnUnmatch: false, enrolIn, createdAt: new Date(Number(id) * 1000), updatedAt: new Date(Number(id) * 1000), createdBy: null,
  conditions: { userTypes: ['prospect'], arrival: { kind: 'any' }, emailDomains: null, campaigns: null, ...c }, ...extra,
});

function fakeEnrolments(withWithdraw = true) {
  const rows = new Map<string, EnrolmentSource>();
  const calls: string[] = [];
  const k = (u: string, i: KnowledgeRef) => `${u}|${i.type}:${i.id}`;
  const port: EnrolmentsPort = {
    async enrol(u, i) { calls.push(`enrol ${k(u, i)}`); const had = rows.has(k(u, i)); if (!had) rows.set(k(u, i), { kind: 'other' }); return { created: !had }; },
    async isEnrolled(u, i) { return rows.has(k(u, i)); },
    async enrolFrom(u, i, s) { calls.push(`enrolFrom ${k(u, i)} ${s.kind}:${s.ref}`); const had = rows.has(k(u, i)); if (!had) rows.set(k(u, i), s); return { created: !had }; },
    ...(withWithdraw && {
      async withdraw(u: string, i: KnowledgeRef, { source }: { source: EnrolmentSource }) {
        const had = rows.get(k(u, i));
        if (!had) return { withdrawn: false as const, reason: 'not_enrolled' as const };
        if (had.kind !== source.kind || had.ref !== source.ref) return { withdrawn: false as const, reason: 'other_source' as const };
        rows.delete(k(u, i));
        return { withdrawn: true as const };
      },
    }),
  };
  return { port, rows, calls };
}

const logger = { info() {}, warn() {}, error() {} };
const user = (type: HostUser['type'] = 'prospect'): HostUser => ({ id: 'u1', email: 'ann@example.com', firstName: 'Ann', lastName: 'A', type, role: null, status: 'active' });

describe('application/rules', () => {
  it('the cache reads the rules once within its time, again after it or at once after invalidate()', async () => {
    let reads = 0;
    let now = 0;
    const cache = new RulesCache({ list: async () => { reads += 1; return [rule('1', [topic('9')])]; } }, () => now, 2000);
    await Promise.all([cache.current(), cache.current()]);
    expect(reads).to.equal(1);
    now = 1999;
    await cache.current();
    expect(reads).to.equal(1);
    now = 2000;
    await cache.current();
    expect(reads).to.equal(2);
    cache.invalidate();
    await cache.current();
    expect(reads).to.equal(3);
  });

  it('a registration passes the token source and the matching rules\' items; the user.created hook then has nothing to do', async () => {
    const e = fakeEnrolments();
    const cache = new RulesCache({ list: async () => [rule('1', [topic('2'), topic('1')]), rule('2', [topic('3')], { campaigns: ['spring'] })] });
    const rules = new RegistrationRules(cache, e.port, true);
    const options = await rules.options({ email: 'Ann@Example.com', tokenId: '7', tokenItem: topic('1'), attribution: null });
    expect(options).to.deep.equal({ source: { kind: 'token', ref: '7' }, also: [{ item: topic('2'), source: { kind: 'rule', ref: '1' } }] });
    expect(await rules.appliedCurrent('ann@example.com')).to.equal(true);
    // Asked once: a second user.created for the same email reconciles.
    expect(await rules.appliedCurrent('ann@example.com')).to.equal(false);
  });

  it('with the feature off, a registration records only the token source; on a host without enrolFrom, nothing at all', async () => {
    const cache = new RulesCache({ list: async () => [rule('1', [topic('2')])] });
    expect(await new RegistrationRules(cache, fakeEnrolments().port, false).options({ email: 'a@b.test', tokenId: '7', tokenItem: topic('1'), attribution: null }))
      .to.deep.equal({ source: { kind: 'token', ref: '7' } });
    const plain = { enrol: async () => ({ created: true }), isEnrolled: async () => false };
    expect(await new RegistrationRules(cache, plain, true).options({ email: 'a@b.test', tokenId: '7', tokenItem: topic('1'), attribution: null })).to.equal(undefined);
  });

  it('reconciling a prospect who became a client enrols client items and withdraws only the withdrawing rule\'s own', async () => {
    const e = fakeEnrolments();
    e.rows.set('u1|topic:10', { kind: 'rule', ref: '1' });
    e.rows.set('u1|topic:11', { kind: 'other' });
    const rules = [rule('1', [topic('10'), topic('11')], {}, { withdrawOnUnmatch: true }), rule('2', [topic('12')], { userTypes: ['client'] })];
    const cache = new RulesCache({ list: async () => rules });
    const arrivals: Arrival[] = [{ tokenId: '7', tokenItem: topic('1'), campaign: null }];
    const facts = { arrivals: async () => arrivals, suppressed: async () => [], suppress: async () => {} };
    const use = new ReconcileUserRulesUseCase(cache, facts, e.port, new RegistrationRules(cache, e.port, true), logger);
    expect(await use.execute(user('client'), 'updated')).to.deep.equal({ enrolled: 1, withdrawn: 1 });
    expect([...e.rows.keys()].sort()).to.deep.equal(['u1|topic:11', 'u1|topic:12']);
    // Idempotent: again, nothing.
    expect(await use.execute(user('client'), 'updated')).to.deep.equal({ enrolled: 0, withdrawn: 0 });
  });

  it('reconciling never enrols in an item an admin removed', async () => {
    const e = fakeEnrolments();
    const cache = new RulesCache({ list: async () => [rule('1', [topic('10'), topic('11')])] });
    const facts = { arrivals: async () => [], suppressed: async () => [topic('10')], suppress: async () => {} };
    await new ReconcileUserRulesUseCase(cache, facts, e.port, new RegistrationRules(cache, e.port, true), logger).execute(user(), 'updated');
    expect([...e.rows.keys()]).to.deep.equal(['u1|topic:11']);
  });

  it('remembers removals by an admin or the learner, not by anything else', async () => {
    const kept: string[] = [];
    const use = new RecordEnrolmentRemovalUseCase({ arrivals: async () => [], suppressed: async () => [], suppress: async (u, i) => void kept.push(`${u}:${i.id}`) }, { now: () => new Date(0) });
    expect(await use.execute({ userId: 'u1', item: topic('1'), removedBy: 'admin' })).to.equal(true);
    expect(await use.execute({ userId: 'u1', item: topic('2'), removedBy: 'learner' })).to.equal(true);
    expect(await use.execute({ userId: 'u1', item: topic('3'), removedBy: 'other' })).to.equal(false);
    expect(kept).to.deep.equal(['u1:1', 'u1:2']);
  });

  it('cuts ids into ranges with both ends covered', () => {
    expect(rangesOf([])).to.deep.equal([{ after: null, upTo: null }]);
    expect(rangesOf(['10', '20'])).to.deep.equal([{ after: null, upTo: '10' }, { after: '10', upTo: '20' }, { after: '20', upTo: null }]);
  });
});
