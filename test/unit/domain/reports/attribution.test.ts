/* Campaign attribution: which utm values are kept, cut or refused, and the seal that carries them to the registration. */
import { expect } from 'chai';
import { attributionFrom, campaignLabel, cleanUtmValue, UTM_MAX_LENGTH } from '../../../../src/domain/reports/attribution.js';
import { CampaignSeal } from '../../../../src/adapters/crypto/campaign-seal.js';
import { checkFilter, filterInZone, statusOf } from '../../../../src/domain/reports/registration-report.js';

describe('campaign attribution', () => {
  it('keeps only the five utm keys, trimmed', () => {
    expect(attributionFrom({ utm_source: ' newsletter ', utm_medium: 'email', utm_campaign: 'spring-2026', utm_term: 'lms', utm_content: 'cta_1', utm_id: 'x', ref: 'y', gclid: 'z' })).to.deep.equal({
      utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'spring-2026', utm_term: 'lms', utm_content: 'cta_1',
    });
    expect(attributionFrom({ ref: 'y' })).to.equal(null);
    expect(attributionFrom({ utm_source: ['first', 'second'] })).to.deep.equal({ utm_source: 'first' });
  });

  it('cuts long values to 100 characters and refuses hostile ones', () => {
    expect(cleanUtmValue('a'.repeat(500))).to.have.length(UTM_MAX_LENGTH);
    expect(cleanUtmValue('Ünïcödé Kampagne 2026')).to.equal('Ünïcödé Kampagne 2026');
    for (const hostile of ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "x' OR '1'='1", 'a\u0000b', 'line\u202Eevil', '`rm -rf`', '{{7*7}}', 'a\\b', '']) {
      expect(cleanUtmValue(hostile), hostile).to.equal(null);
    }
    expect(cleanUtmValue(42)).to.equal(null);
    expect(campaignLabel({ utm_source: 'news', utm_campaign: 'spring' })).to.equal('news / spring');
    expect(campaignLabel(null)).to.equal(null);
  });

  it('the seal carries the values for one code only, unaltered and not too old', () => {
    const seal = new CampaignSeal({ secret: 's'.repeat(40) });
    const a = { utm_source: 'news', utm_campaign: 'spring' };
    const now = new Date('2026-12-01T10:00:00Z');
    const sealed = seal.seal(a, 'ABCD-EFGH-JKMN', now);
    expect(seal.open(sealed, 'abcd efgh jkmn', now)).to.deep.equal(a);
    expect(seal.open(sealed, 'WXYZ-EFGH-JKMN', now)).to.equal(null);
    const [body, mac] = sealed.split('.');
    const forged = Buffer.from(JSON.stringify({ a: { utm_source: 'forged' }, t: now.getTime() })).toString('base64url');
    expect(seal.open(`${forged}.${mac}`, 'ABCD-EFGH-JKMN', now)).to.equal(null);
    expect(seal.open(`${body}.${mac}x`, 'ABCD-EFGH-JKMN', now)).to.equal(null);
    expect(seal.open(sealed, 'ABCD-EFGH-JKMN', new Date(now.getTime() + 8 * 86_400_000))).to.equal(null);
    expect(new CampaignSeal({ secret: 'o'.repeat(40) }).open(sealed, 'ABCD-EFGH-JKMN', now)).to.equal(null);
  });
});

describe('the registrations report filter', () => {
  it('checks each field and names the bad one', () => {
    expect(checkFilter({ item: 'topic:12', token: '7', userType: 'staff', status: 'started', from: '2026-11-01', to: '2026-11-30' })).to.deep.equal({
      ok: true, value: { item: { type: 'topic', id: '12' }, tokenId: '7', userType: 'staff', status: 'started', fromDay: '2026-11-01', toDay: '2026-11-30' },
    });
    expect(checkFilter({ item: '', userType: '' })).to.deep.equal({ ok: true, value: {} });
    for (const [field, value] of [['item', 'course:1'], ['token', 'abc'], ['userType', 'admin'], ['status', 'done'], ['from', '2026-02-30'], ['to', 'yesterday']] as const) {
      const checked = checkFilter({ [field]: value });
      expect(checked.ok, field).to.equal(false);
      if (!checked.ok) expect(checked.problems[0]!.field).to.equal(field);
    }
    expect(checkFilter({ from: '2026-12-02', to: '2026-12-01' }).ok).to.equal(false);
    expect(checkFilter({ userType: ['staff', 'client'] }).ok).to.equal(false);
  });

  it('reads the days in the portal’s time zone, the last day included', () => {
    const f = filterInZone({ fromDay: '2026-07-01', toDay: '2026-07-01' }, 'Europe/London');
    expect(f.from!.toISOString()).to.equal('2026-06-30T23:00:00.000Z');
    expect(f.to!.toISOString()).to.equal('2026-07-01T23:00:00.000Z');
  });

  it('a row’s status is the furthest step it reached', () => {
    const d = new Date();
    expect(statusOf({ activatedAt: null, startedAt: null, completedAt: null })).to.equal('invited');
    expect(statusOf({ activatedAt: d, startedAt: null, completedAt: null })).to.equal('activated');
    expect(statusOf({ activatedAt: d, startedAt: d, completedAt: null })).to.equal('started');
    expect(statusOf({ activatedAt: d, startedAt: d, completedAt: d })).to.equal('completed');
  });
});
