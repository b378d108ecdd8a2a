import { expect } from 'chai';
import {
  endOfDayInZone, expiryChange, expiryDateInZone, expiryFromDate, parseCalendarDate, todayInZone,
} from '../../../../src/domain/tokens/expiry.js';
import { isValidTimeZone } from '../../../../src/domain/shared/time-zone.js';
import { tokenStatus } from '../../../../src/domain/tokens/token.js';

const iso = (d: Date) => d.toISOString();
const HOUR = 3_600_000;

describe('domain/expiry: a date ends at the end of that day in the portal’s time zone', () => {
  describe('endOfDayInZone', () => {
    it('UTC: the next midnight', () => {
      expect(iso(endOfDayInZone('2026-06-30', 'UTC'))).to.equal('2026-07-01T00:00:00.000Z');
      expect(iso(endOfDayInZone('2028-02-29', 'UTC'))).to.equal('2028-03-01T00:00:00.000Z');
      expect(iso(endOfDayInZone('2026-12-31', 'UTC'))).to.equal('2027-01-01T00:00:00.000Z');
    });

    it('Europe/London in winter (GMT) and summer (BST)', () => {
      expect(iso(endOfDayInZone('2026-01-15', 'Europe/London'))).to.equal('2026-01-16T00:00:00.000Z');
      expect(iso(endOfDayInZone('2026-06-30', 'Europe/London'))).to.equal('2026-06-30T23:00:00.000Z');
    });

    it('Europe/London, last Sunday of March: clocks go forward, the day has 23 hours', () => {
      const saturday = endOfDayInZone('2026-03-28', 'Europe/London');
      const sunday = endOfDayInZone('2026-03-29', 'Europe/London');
      expect(iso(saturday)).to.equal('2026-03-29T00:00:00.000Z'); // midnight GMT
      expect(iso(sunday)).to.equal('2026-03-29T23:00:00.000Z'); // midnight BST
      expect(sunday.getTime() - saturday.getTime()).to.equal(23 * HOUR);
    });

    it('Europe/London, last Sunday of October: clocks go back, the day has 25 hours', () => {
      const saturday = endOfDayInZone('2026-10-24', 'Europe/London');
      const sunday = endOfDayInZone('2026-10-25', 'Europe/London');
      expect(iso(saturday)).to.equal('2026-10-24T23:00:00.000Z'); // midnight BST
      expect(iso(sunday)).to.equal('2026-10-26T00:00:00.000Z'); // midnight GMT
      expect(sunday.getTime() - saturday.getTime()).to.equal(25 * HOUR);
    });

    it('Australia/Sydney: DST ends on the first Sunday of April and starts on the first Sunday of October', () => {
      expect(iso(endOfDayInZone('2026-04-04', 'Australia/Sydney'))).to.equal('2026-04-04T13:00:00.000Z'); // +11
      expect(iso(endOfDayInZone('2026-04-05', 'Australia/Sydney'))).to.equal('2026-04-05T14:00:00.000Z'); // +10: 25 h
      expect(iso(endOfDayInZone('2026-10-03', 'Australia/Sydney'))).to.equal('2026-10-03T14:00:00.000Z'); // +10
      expect(iso(endOfDayInZone('2026-10-04', 'Australia/Sydney'))).to.equal('2026-10-04T13:00:00.000Z'); // +11: 23 h
      expect(iso(endOfDayInZone('2026-12-31', 'Australia/Sydney'))).to.equal('2026-12-31T13:00:00.000Z');
    });

    it('America/New_York: second Sunday of March and first Sunday of November', () => {
      expect(iso(endOfDayInZone('2026-03-07', 'America/New_York'))).to.equal('2026-03-08T05:00:00.000Z'); // EST
      expect(iso(endOfDayInZone('2026-03-08', 'America/New_York'))).to.equal('2026-03-09T04:00:00.000Z'); // EDT
      expect(iso(endOfDayInZone('2026-10-31', 'America/New_York'))).to.equal('2026-11-01T04:00:00.000Z'); // EDT
      expect(iso(endOfDayInZone('2026-11-01', 'America/New_York'))).to.equal('2026-11-02T05:00:00.000Z'); // EST
    });

    it('zones whose DST change skips or repeats midnight itself (America/Santiago, Asia/Beirut)', () => {
      // Santiago: 2026-09-06 00:00 -04 becomes 01:00 -03; the 5th ends at that very instant.
      expect(iso(endOfDayInZone('2026-09-05', 'America/Santiago'))).to.equal('2026-09-06T04:00:00.000Z');
      // Santiago: 2026-04-05 00:00 -03 falls back to 04-04 23:00 -04; the 4th lasts 25 hours.
      expect(iso(endOfDayInZone('2026-04-04', 'America/Santiago'))).to.equal('2026-04-05T04:00:00.000Z');
      // Beirut: 2026-03-29 starts at 01:00 +03.
      expect(iso(endOfDayInZone('2026-03-28', 'Asia/Beirut'))).to.equal('2026-03-28T22:00:00.000Z');
      expect(iso(endOfDayInZone('2026-03-29', 'Asia/Beirut'))).to.equal('2026-03-29T21:00:00.000Z');
    });

    it('a day a zone skipped entirely ends when the day before it ends (Samoa, 30 December 2011)', () => {
      expect(iso(endOfDayInZone('2011-12-29', 'Pacific/Apia'))).to.equal('2011-12-30T10:00:00.000Z');
      expect(iso(endOfDayInZone('2011-12-30', 'Pacific/Apia'))).to.equal('2011-12-30T10:00:00.000Z');
      expect(iso(endOfDayInZone('2011-12-31', 'Pacific/Apia'))).to.equal('2011-12-31T10:00:00.000Z');
    });

    it('offsets that are not whole hours, and the far east of the date line', () => {
      expect(iso(endOfDayInZone('2026-06-30', 'Asia/Kathmandu'))).to.equal('2026-06-30T18:15:00.000Z'); // +05:45
      expect(iso(endOfDayInZone('2026-06-30', 'Asia/Kolkata'))).to.equal('2026-06-30T18:30:00.000Z'); // +05:30
      expect(iso(endOfDayInZone('2026-06-30', 'Pacific/Kiritimati'))).to.equal('2026-06-30T10:00:00.000Z'); // +14
      expect(iso(endOfDayInZone('2026-06-30', 'Pacific/Pago_Pago'))).to.equal('2026-07-01T11:00:00.000Z'); // -11
    });

    it('refuses what is not a calendar date or a time zone', () => {
      expect(() => endOfDayInZone('2026-02-30', 'UTC')).to.throw(RangeError);
      expect(() => endOfDayInZone('30/06/2026', 'UTC')).to.throw(RangeError);
      expect(() => endOfDayInZone('2026-06-30', 'Mars/Olympus_Mons')).to.throw(RangeError);
    });
  });

  describe('what a status check sees', () => {
    it('a token expiring on a date works until the last millisecond of that day, and not after', () => {
      const expiresAt = endOfDayInZone('2026-03-29', 'Europe/London');
      const token = { enabled: true, expiresAt, maxUses: null, uses: 0 };
      expect(tokenStatus(token, new Date('2026-03-29T22:59:59.999Z'))).to.equal('active'); // 23:59:59.999 BST
      expect(tokenStatus(token, new Date('2026-03-29T23:00:00.000Z'))).to.equal('expired'); // 00:00 BST on the 30th
    });
  });

  describe('expiryDateInZone and todayInZone', () => {
    it('give back the date that was chosen, in every zone and across DST changes', () => {
      for (const [date, zone] of [
        ['2026-03-29', 'Europe/London'], ['2026-10-25', 'Europe/London'], ['2026-04-05', 'Australia/Sydney'],
        ['2026-11-01', 'America/New_York'], ['2026-09-05', 'America/Santiago'], ['2026-06-30', 'UTC'],
      ] as const) {
        expect(expiryDateInZone(endOfDayInZone(date, zone), zone), `${date} ${zone}`).to.equal(date);
      }
    });

    it('today depends on the zone: 23:30 UTC on 30 June is already 1 July in Sydney', () => {
      const now = new Date('2026-06-30T23:30:00Z');
      expect(todayInZone(now, 'UTC')).to.equal('2026-06-30');
      expect(todayInZone(now, 'Australia/Sydney')).to.equal('2026-07-01');
      expect(todayInZone(now, 'America/New_York')).to.equal('2026-06-30');
    });
  });

  describe('expiryFromDate (an admin’s input)', () => {
    const now = new Date('2026-03-01T10:00:00Z');

    it('blank means no expiry', () => {
      expect(expiryFromDate('', 'UTC', now)).to.deep.equal({ ok: true, value: null });
      expect(expiryFromDate('   ', 'UTC', now)).to.deep.equal({ ok: true, value: null });
      expect(expiryFromDate(null, 'UTC', now)).to.deep.equal({ ok: true, value: null });
    });

    it('today is allowed (it ends tonight); yesterday is refused as in the past', () => {
      const today = expiryFromDate('2026-03-01', 'Europe/London', now);
      expect(today.ok && iso(today.value!)).to.equal('2026-03-02T00:00:00.000Z');
      const yesterday = expiryFromDate('2026-02-28', 'Europe/London', now);
      expect(yesterday.ok).to.equal(false);
      expect(!yesterday.ok && yesterday.error.code).to.equal('TOKEN.EXPIRY_IN_PAST');
    });

    it('"today" is the portal’s today: at 10:00 UTC it is already 2 March in Kiritimati (+14)', () => {
      const r = expiryFromDate('2026-03-01', 'Pacific/Kiritimati', now);
      expect(!r.ok && r.error.code).to.equal('TOKEN.EXPIRY_IN_PAST');
    });

    it('refuses impossible dates, other formats and dates beyond 2099', () => {
      for (const bad of ['2026-02-29', '2026-13-01', '2026-6-30', '30/06/2026', 'tomorrow', '2100-01-01', '1969-12-31']) {
        const r = expiryFromDate(bad, 'UTC', now);
        expect(!r.ok && r.error.code, bad).to.equal('TOKEN.EXPIRY_INVALID');
      }
    });
  });

  describe('expiryChange (an edit form sends the shown date back)', () => {
    const now = new Date('2026-05-01T10:00:00Z');
    const past = endOfDayInZone('2026-04-01', 'Europe/London');

    it('keeps the stored instant when the date is unchanged, even though it has passed', () => {
      expect(expiryChange(past, '2026-04-01', 'Europe/London', now)).to.deep.equal({ ok: true, value: past });
    });

    it('reads a different date afresh, and refuses another past date', () => {
      const later = expiryChange(past, '2026-06-30', 'Europe/London', now);
      expect(later.ok && iso(later.value!)).to.equal('2026-06-30T23:00:00.000Z');
      const earlier = expiryChange(past, '2026-03-01', 'Europe/London', now);
      expect(!earlier.ok && earlier.error.code).to.equal('TOKEN.EXPIRY_IN_PAST');
    });

    it('blank clears the expiry', () => {
      expect(expiryChange(past, '', 'Europe/London', now)).to.deep.equal({ ok: true, value: null });
    });
  });

  it('parseCalendarDate and isValidTimeZone', () => {
    expect(parseCalendarDate('2028-02-29')).to.deep.equal({ y: 2028, m: 2, d: 29 });
    expect(parseCalendarDate('2027-02-29')).to.equal(null);
    expect(isValidTimeZone('Europe/London')).to.equal(true);
    expect(isValidTimeZone('UTC')).to.equal(true);
    expect(isValidTimeZone('Europe/Londn')).to.equal(false);
    expect(isValidTimeZone('')).to.equal(false);
  });
});
