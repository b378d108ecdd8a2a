import { expect } from 'chai';
import {
  addDays, dayBounds, digestSendTime, dueDigests, formatLocalDateTime, formatLocalDay, groupByLocalDay, latestDueDay, localDay, zonedTime,
} from '../../../../src/domain/notifications/digest.js';
import { isValidTimeZone } from '../../../../src/domain/shared/time-zone.js';

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('domain/digest: local days in the portal’s time zone', () => {
  it('the local day of an instant depends on the zone', () => {
    const instant = at('2026-03-01T23:30:00Z');
    expect(localDay(instant, 'UTC')).to.equal('2026-03-01');
    expect(localDay(instant, 'Europe/Berlin')).to.equal('2026-03-02');
    expect(localDay(instant, 'America/Los_Angeles')).to.equal('2026-03-01');
    expect(localDay(at('2026-03-01T10:00:00Z'), 'Pacific/Kiritimati')).to.equal('2026-03-02'); // UTC+14
    expect(localDay(at('2026-03-01T18:29:59Z'), 'Asia/Kolkata')).to.equal('2026-03-01'); // UTC+5:30
    expect(localDay(at('2026-03-01T18:30:00Z'), 'Asia/Kolkata')).to.equal('2026-03-02');
  });

  it('days run midnight to midnight, 23 or 25 hours long when the clocks change', () => {
    expect(dayBounds('2026-03-01', 'Asia/Kolkata')).to.deep.equal({ start: at('2026-02-28T18:30:00Z'), end: at('2026-03-01T18:30:00Z') });
    const spring = dayBounds('2026-03-29', 'Europe/London');
    expect([iso(spring.start), iso(spring.end)]).to.deep.equal(['2026-03-29T00:00:00.000Z', '2026-03-29T23:00:00.000Z']);
    const autumn = dayBounds('2026-10-25', 'Europe/London');
    expect(autumn.end.getTime() - autumn.start.getTime()).to.equal(25 * 3600_000);
    const ny = dayBounds('2026-03-08', 'America/New_York');
    expect([iso(ny.start), iso(ny.end)]).to.deep.equal(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
  });

  it('a midnight that does not exist: the day starts when the clocks jump', () => {
    // São Paulo moved its clocks from 00:00 to 01:00 on 4 November 2018.
    expect(iso(zonedTime('2018-11-04', 0, 'America/Sao_Paulo'))).to.equal('2018-11-04T03:00:00.000Z');
    expect(localDay(zonedTime('2018-11-04', 0, 'America/Sao_Paulo'), 'America/Sao_Paulo')).to.equal('2018-11-04');
  });

  it('an hour that happens twice is taken the first time; one that does not exist, when the gap ends', () => {
    expect(iso(zonedTime('2026-10-25', 1, 'Europe/London'))).to.equal('2026-10-25T00:00:00.000Z'); // 01:00 BST
    expect(iso(zonedTime('2026-03-29', 1, 'Europe/London'))).to.equal('2026-03-29T01:00:00.000Z'); // = 02:00 BST
  });

  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).to.equal('2027-01-01');
    expect(addDays('2028-03-01', -1)).to.equal('2028-02-29');
  });

  it('groups entries by local day, days in order and entries oldest first', () => {
    const entries = [
      { name: 'c', at: at('2026-03-02T00:30:00Z') }, // 01:30 on the 2nd in Paris
      { name: 'a', at: at('2026-03-01T22:59:00Z') }, // 23:59 on the 1st
      { name: 'b', at: at('2026-03-01T23:00:00Z') }, // 00:00 on the 2nd
      { name: 'z', at: at('2026-02-28T08:00:00Z') },
    ];
    const groups = groupByLocalDay(entries, 'Europe/Paris');
    expect(groups.map((g) => [g.day, g.entries.map((e) => e.name)])).to.deep.equal([
      ['2026-02-28', ['z']],
      ['2026-03-01', ['a']],
      ['2026-03-02', ['b', 'c']],
    ]);
    // The same instants in UTC fall on other days.
    expect(groupByLocalDay(entries, 'UTC').map((g) => [g.day, g.entries.map((e) => e.name)])).to.deep.equal([
      ['2026-02-28', ['z']],
      ['2026-03-01', ['a', 'b']],
      ['2026-03-02', ['c']],
    ]);
  });

  describe('the digest schedule', () => {
    it('a day’s digest goes out at the digest hour of the next local day', () => {
      expect(iso(digestSendTime('2026-03-01', 'Europe/London', 7))).to.equal('2026-03-02T07:00:00.000Z');
      expect(iso(digestSendTime('2026-07-01', 'Europe/London', 7))).to.equal('2026-07-02T06:00:00.000Z'); // BST
      expect(iso(digestSendTime('2026-03-01', 'America/New_York', 0))).to.equal('2026-03-02T05:00:00.000Z');
    });

    it('the latest due day turns over at the digest hour', () => {
      expect(latestDueDay(at('2026-03-02T06:59:59Z'), 'Europe/London', 7)).to.equal('2026-02-28');
      expect(latestDueDay(at('2026-03-02T07:00:00Z'), 'Europe/London', 7)).to.equal('2026-03-01');
      expect(latestDueDay(at('2026-03-02T00:00:00Z'), 'Europe/London', 0)).to.equal('2026-03-01');
      expect(latestDueDay(at('2026-03-01T23:59:59Z'), 'Europe/London', 0)).to.equal('2026-02-28');
    });

    it('picks the due groups per item and day, leaving today (and a day before its hour) for later', () => {
      const e = (item: string, when: string) => ({ item, at: at(when) });
      const entries = [
        e('topic:1', '2026-03-01T09:00:00Z'), e('topic:1', '2026-03-01T17:00:00Z'), e('topic:2', '2026-03-01T12:00:00Z'),
        e('topic:1', '2026-03-02T06:00:00Z'), // today (the 2nd): not due
        e('topic:2', '2026-02-27T12:00:00Z'), // long overdue (e.g. after downtime): still sent, on its own day
      ];
      const due = dueDigests(entries, (x) => x.item, at('2026-03-02T07:30:00Z'), 'Europe/London', 7);
      expect(due.map((d) => [d.key, d.day, d.entries.length])).to.deep.equal([
        ['topic:1', '2026-03-01', 2],
        ['topic:2', '2026-02-27', 1],
        ['topic:2', '2026-03-01', 1],
      ]);
      expect(dueDigests(entries, (x) => x.item, at('2026-03-02T06:30:00Z'), 'Europe/London', 7).map((d) => d.day)).to.deep.equal(['2026-02-27']);
    });
  });

  it('formats days and times for people, in the zone', () => {
    expect(formatLocalDay('2026-03-01')).to.equal('Sunday 1 March 2026');
    expect(formatLocalDateTime(at('2026-07-01T09:05:00Z'), 'Europe/London')).to.equal('1 July 2026, 10:05 BST');
    expect(formatLocalDateTime(at('2026-01-31T23:30:00Z'), 'Asia/Kolkata')).to.equal('1 February 2026, 05:00 GMT+5:30');
  });

  it('knows an IANA zone from nonsense', () => {
    expect(isValidTimeZone('Europe/London')).to.equal(true);
    expect(isValidTimeZone('Mars/Olympus')).to.equal(false);
    expect(isValidTimeZone('')).to.equal(false);
  });
});
