import { expect } from 'chai';
import { checkRule, checkRuleChange, type EnrolmentRule } from '../../../../src/domain/rules/enrolment-rule.js';
import { ErrorCodes } from '../../../../src/domain/shared/errors.js';

const smallest = { name: 'Prospects get the basics', userTypes: ['prospect'], enrolIn: [{ type: 'topic', id: '3' }] };

describe('domain/rules/enrolment-rule', () => {
  it('takes the smallest body: enabled, keeping enrolments, any arrival, no domain or campaign condition', () => {
    const r = checkRule(smallest);
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.value).to.deep.equal({
      name: 'Prospects get the basics', enabled: true, withdrawOnUnmatch: false, enrolIn: [{ type: 'topic', id: '3' }],
      conditions: { userTypes: ['prospect'], arrival: { kind: 'any' }, emailDomains: null, campaigns: null },
    });
  });

  it('defaults the user types to Prospect', () => {
    const r = checkRule({ name: 'x', enrolIn: [{ type: 'article', id: 9 }] });
    expect(r.ok && r.value.conditions.userTypes).to.deep.equal(['prospect']);
    expect(r.ok && r.value.enrolIn).to.deep.equal([{ type: 'article', id: '9' }]);
  });

  it('names every refused field at once, in form order', () => {
    const r = checkRule({ name: ' ', userTypes: ['admin'], arrival: { kind: 'token', tokenId: 'abc' }, emailDomains: { mode: 'in', domains: ['not a domain'] }, campaigns: ['<x>'], enrolIn: [] });
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect([r.error.code, ...(r.error.others ?? []).map((o) => o.code)]).to.deep.equal([
      ErrorCodes.RULE_NAME_INVALID, ErrorCodes.RULE_USER_TYPES_INVALID, ErrorCodes.RULE_ARRIVAL_INVALID,
      ErrorCodes.RULE_EMAIL_DOMAINS_INVALID, ErrorCodes.RULE_CAMPAIGNS_INVALID, ErrorCodes.RULE_ITEMS_INVALID,
    ]);
  });

  it('refuses duplicate items, more than 20 items, and an unknown item type', () => {
    expect(checkRule({ ...smallest, enrolIn: [{ type: 'topic', id: '3' }, { type: 'topic', id: '3' }] }).ok).to.equal(false);
    expect(checkRule({ ...smallest, enrolIn: Array.from({ length: 21 }, (_, i) => ({ type: 'topic', id: String(i) })) }).ok).to.equal(false);
    expect(checkRule({ ...smallest, enrolIn: [{ type: 'course', id: '3' }] }).ok).to.equal(false);
  });

  it('reads domain and campaign lists from text, normalised and without repeats', () => {
    const r = checkRule({ ...smallest, emailDomains: { mode: 'not_in', domains: '@Example.com, *.corp.test\nexample.com' }, campaigns: 'spring, spring autumn' });
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.value.conditions.emailDomains).to.deep.equal({ mode: 'not_in', domains: ['example.com', 'corp.test'] });
    expect(r.value.conditions.campaigns).to.deep.equal(['spring', 'autumn']);
  });

  it('takes each kind of arrival', () => {
    const arrival = (a: unknown) => { const r = checkRule({ ...smallest, arrival: a }); return r.ok ? r.value.conditions.arrival : r.error.code; };
    expect(arrival('any_token')).to.deep.equal({ kind: 'any_token' });
    expect(arrival({ kind: 'token', tokenId: '12' })).to.deep.equal({ kind: 'token', tokenId: '12' });
    expect(arrival({ kind: 'item_tokens', item: { type: 'pathway', id: '4' } })).to.deep.equal({ kind: 'item_tokens', item: { type: 'pathway', id: '4' } });
    expect(arrival({ kind: 'item_tokens' })).to.equal(ErrorCodes.RULE_ARRIVAL_INVALID);
  });

  it('refuses a switch that is not a boolean', () => {
    const r = checkRule({ ...smallest, enabled: 'maybe' });
    expect(!r.ok && r.error.code).to.equal(ErrorCodes.VALIDATION_FAILED);
  });

  it('lays a change over the rule and checks the whole', () => {
    const first = checkRule({ ...smallest, campaigns: ['spring'] });
    if (!first.ok) throw new Error('setup');
    const rule: EnrolmentRule = { id: '1', ...first.value, createdAt: new Date(0), updatedAt: new Date(0), createdBy: null };
    const changed = checkRuleChange(rule, { enabled: false, userTypes: ['prospect', 'client'] });
    expect(changed.ok && changed.value).to.deep.include({ name: 'Prospects get the basics', enabled: false });
    expect(changed.ok && changed.value.conditions).to.deep.equal({ userTypes: ['prospect', 'client'], arrival: { kind: 'any' }, emailDomains: null, campaigns: ['spring'] });
    expect(checkRuleChange(rule, { name: '' }).ok).to.equal(false);
  });
});
