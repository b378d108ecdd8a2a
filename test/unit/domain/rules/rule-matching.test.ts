import { expect } from 'chai';
import type { EnrolmentRule, RuleConditions } from '../../../../src/domain/rules/enrolment-rule.js';
import { matches, personOf, reconcile, registrationEnrolments, type Person } from '../../../../src/domain/rules/rule-matching.js';
import { canSelfEnrol, openToEveryType } from '../../../../src/domain/rules/quarantine.js';
import { ErrorCodes } from '../../../../src/domain/shared/errors.js';

const topic = (id: string) => ({ type: 'topic' as const, id });
let seq = 0;
function rule(conditions: Partial<RuleConditions> = {}, extra: Partial<EnrolmentRule> = {}): EnrolmentRule {
  seq += 1;
  return {
    id: String(seq), name: `r${seq}`, enabled: true, withdrawOnUnmatch: false, enrolIn: [topic(`t${seq}`)],
    createdAt: new Date(seq * 1000), updatedAt: new Date(seq * 1000), createdBy: null,
    conditions: { userTypes: ['prospect'], arrival: { kind: 'any' }, emailDomains: null, campaigns: null, ...conditions },
    ...extra,
  };
}
const ann = (p: Partial<Parameters<typeof personOf>[0]> = {}): Person =>
  personOf({ type: 'prospect', email: 'ann@mail.example.com', tokenId: '7', tokenItem: topic('1'), campaign: 'spring', ...p });

describe('domain/rules/rule-matching', () => {
  describe('matches', () => {
    it('user type: Prospect by default, other types when chosen', () => {
      expect(matches(rule(), ann())).to.equal(true);
      expect(matches(rule(), ann({ type: 'client' }))).to.equal(false);
      expect(matches(rule({ userTypes: ['client', 'staff'] }), ann({ type: 'client' }))).to.equal(true);
    });

    it('arrival any: also a person who never used a token', () => {
      expect(matches(rule(), personOf({ type: 'prospect', email: 'a@b.test' }))).to.equal(true);
    });

    it('arrival any token, a given token, tokens of a given item', () => {
      const noToken = personOf({ type: 'prospect', email: 'a@b.test' });
      expect(matches(rule({ arrival: { kind: 'any_token' } }), ann())).to.equal(true);
      expect(matches(rule({ arrival: { kind: 'any_token' } }), noToken)).to.equal(false);
      expect(matches(rule({ arrival: { kind: 'token', tokenId: '7' } }), ann())).to.equal(true);
      expect(matches(rule({ arrival: { kind: 'token', tokenId: '8' } }), ann())).to.equal(false);
      expect(matches(rule({ arrival: { kind: 'item_tokens', item: topic('1') } }), ann())).to.equal(true);
      expect(matches(rule({ arrival: { kind: 'item_tokens', item: { type: 'article', id: '1' } } }), ann())).to.equal(false);
    });

    it('email domain in / not in a list, a subdomain counting as its domain, case aside', () => {
      expect(matches(rule({ emailDomains: { mode: 'in', domains: ['example.com'] } }), ann())).to.equal(true);
      expect(matches(rule({ emailDomains: { mode: 'in', domains: ['example.com'] } }), ann({ email: 'Bob@EXAMPLE.COM' }))).to.equal(true);
      expect(matches(rule({ emailDomains: { mode: 'in', domains: ['example.com'] } }), ann({ email: 'bob@notexample.com' }))).to.equal(false);
      expect(matches(rule({ emailDomains: { mode: 'not_in', domains: ['example.com'] } }), ann())).to.equal(false);
      expect(matches(rule({ emailDomains: { mode: 'not_in', domains: ['example.com'] } }), ann({ email: 'x@other.test' }))).to.equal(true);
    });

    it('campaign: one of the list, exactly; no campaign never matches a campaign condition', () => {
      expect(matches(rule({ campaigns: ['spring', 'autumn'] }), ann())).to.equal(true);
      expect(matches(rule({ campaigns: ['Spring'] }), ann())).to.equal(false);
      expect(matches(rule({ campaigns: ['spring'] }), ann({ campaign: null }))).to.equal(false);
    });

    it('combines every condition with AND, arrival and campaign on the same registration', () => {
      const r = rule({ userTypes: ['prospect'], arrival: { kind: 'token', tokenId: '7' }, emailDomains: { mode: 'in', domains: ['example.com'] }, campaigns: ['spring'] });
      expect(matches(r, ann())).to.equal(true);
      expect(matches(r, ann({ email: 'x@y.test' }))).to.equal(false);
      expect(matches(r, ann({ campaign: 'autumn' }))).to.equal(false);
      const twoVisits: Person = { type: 'prospect', email: 'ann@example.com', arrivals: [{ tokenId: '7', tokenItem: topic('1'), campaign: null }, { tokenId: '8', tokenItem: topic('2'), campaign: 'spring' }] };
      expect(matches(r, twoVisits)).to.equal(false);
      expect(matches(rule({ arrival: { kind: 'token', tokenId: '8' }, campaigns: ['spring'] }), twoVisits)).to.equal(true);
    });
  });

  describe('registrationEnrolments', () => {
    it('enrols in every item of every matching rule once, the oldest rule as source, not the token item, no switched-off rule', () => {
      const a = rule({}, { enrolIn: [topic('10'), topic('1')] });
      const b = rule({ arrival: { kind: 'token', tokenId: '7' } }, { enrolIn: [topic('10'), topic('11')] });
      const off = rule({}, { enabled: false, enrolIn: [topic('12')] });
      const other = rule({ userTypes: ['client'] }, { enrolIn: [topic('13')] });
      expect(registrationEnrolments([other, off, b, a], ann(), topic('1'))).to.deep.equal([
        { item: topic('10'), ruleId: a.id }, { item: topic('11'), ruleId: b.id },
      ]);
    });

    it('is empty with no rules', () => {
      expect(registrationEnrolments([], ann(), topic('1'))).to.deep.equal([]);
    });
  });

  describe('reconcile', () => {
    it('a prospect who becomes a client: client rules enrol, prospect rules set to withdraw withdraw, others keep', () => {
      const keep = rule({}, { enrolIn: [topic('20')] });
      const pull = rule({}, { enrolIn: [topic('21'), topic('22')], withdrawOnUnmatch: true });
      const clients = rule({ userTypes: ['client'] }, { enrolIn: [topic('22'), topic('23')] });
      const r = reconcile([keep, pull, clients], ann({ type: 'client' }), []);
      expect(r.enrol).to.deep.equal([{ item: topic('22'), ruleId: clients.id }, { item: topic('23'), ruleId: clients.id }]);
      // 22 is still wanted by the client rule: not withdrawn.
      expect(r.withdraw).to.deep.equal([{ item: topic('21'), ruleId: pull.id }]);
    });

    it('holds back items an admin removed the person from', () => {
      const r1 = rule({}, { enrolIn: [topic('30'), topic('31')] });
      expect(reconcile([r1], ann(), [topic('30')]).enrol).to.deep.equal([{ item: topic('31'), ruleId: r1.id }]);
    });

    it('a switched-off rule neither enrols nor withdraws', () => {
      const r1 = rule({ userTypes: ['client'] }, { enabled: false, withdrawOnUnmatch: true });
      expect(reconcile([r1], ann(), [])).to.deep.equal({ enrol: [], withdraw: [] });
    });

    it('a person matching several rules gets all their items', () => {
      const r1 = rule({}, { enrolIn: [topic('40')] });
      const r2 = rule({ campaigns: ['spring'] }, { enrolIn: [topic('41')] });
      expect(reconcile([r1, r2], ann(), []).enrol.map((e) => e.item.id)).to.deep.equal(['40', '41']);
    });
  });

  describe('quarantine', () => {
    it('refuses a prospect an item not opened to prospects, with a reason; lets other types and opened items through', () => {
      expect(canSelfEnrol('prospect', ['staff', 'client'])?.code).to.equal(ErrorCodes.ENROLMENT_NOT_OPEN);
      expect(canSelfEnrol('prospect', ['prospect'])).to.equal(null);
      expect(canSelfEnrol('client', ['client'])).to.equal(null);
    });

    it('spots an item open to every user type', () => {
      expect(openToEveryType(['staff', 'client', 'prospect'])).to.equal(true);
      expect(openToEveryType(['staff', 'client'])).to.equal(false);
    });
  });
});
