/*
 * The unknown-code limit pauses an address gradually (sandbox host, real plugin, PostgreSQL or
 * PGlite): after its allowance of mistyped codes an address waits a step, a step longer after each
 * further miss, and then valid deep links open again — an office or an event's Wi-Fi behind one
 * address is no longer shut out for the rest of the hour by a few typos. Once at its allowance an
 * address's count is kept for a day, so that waiting out an hour does not hand a guesser new tries. While paused, nothing is
 * looked up, so a guess still cannot tell a hit from a miss. Time passing is simulated by moving the
 * stored window back, as a clock would.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { NO_LIMITS, startRegistrationSandbox, type RegistrationSandbox } from './registration-helpers.js';

describe('e2e: unknown codes pause an address gradually, never for the rest of the hour', function () {
  this.timeout(60_000);
  let s: RegistrationSandbox;
  let code: string;
  const get = (path: string) => supertest(s.t.sandbox.app).get(path);
  const post = (token: string) => supertest(s.t.sandbox.app).post('/register').type('form').send({ firstName: 'Typo', lastName: 'Person', email: 'typo@example.com', token });
  /** Moves every unknown-code window back by `ms`, as if that much time had passed since the last miss. */
  const elapse = (ms: number) => s.knex('selfreg_rate_limits').where('key', 'like', 'unknownCode:%').update({ expire: s.knex.raw('expire - ?', [ms]) });
  const retryAfter = (res: supertest.Response) => Number(res.headers['retry-after']);

  before(async () => {
    // Three mistyped codes an hour; a step of 15 s (an hour / 240).
    s = await startRegistrationSandbox({ options: { ...NO_LIMITS, rateLimitUnknownCode: '3/1h' } });
    code = (await s.token(s.items.topic.ref, { nickname: 'Slides' })).code!;
  });
  after(async () => {
    await s?.close();
  });

  it('three misses, then a pause of one step; once it passes, the valid deep link opens; each further miss pauses a step longer', async () => {
    await get('/register/ZZZZ-ZZZZ-ZZZZ').expect(200).expect(/We don’t recognise that token/);
    await post('YYYY-YYYY-YYYY').expect(422);
    await get(`/register/${code}`).expect(200); // two misses: nothing paused yet
    await post('XXXX-XXXX-XXXX').expect(422);

    // Paused: every code, valid or not, is answered alike, without being looked up.
    const paused = await get(`/register/${code}`).expect(429);
    expect(retryAfter(paused)).to.be.within(1, 15);
    expect(paused.text).to.contain('Too many attempts');
    expect(retryAfter(await get('/register/WWWW-WWWW-WWWW').expect(429))).to.be.within(1, 15);
    await post(code).expect(429);

    // A quarter of a minute later the valid deep link works again (the fixed window kept it shut for the hour).
    await elapse(16_000);
    await get(`/register/${code}`).expect(200).expect(/name="firstName"/);
    await post(code).expect(200).expect(/Check your inbox/);

    // The next miss pauses the address for two steps.
    await post('VVVV-VVVV-VVVV').expect(422);
    const longer = await get(`/register/${code}`).expect(429);
    expect(retryAfter(longer)).to.be.within(16, 30);
    await elapse(31_000);
    await get(`/register/${code}`).expect(200);
  });

  it('a quiet hour does not hand back the allowance (the next miss pauses longer still); a quiet day does', async () => {
    await elapse(3_600_000);
    await get(`/register/${code}`).expect(200);
    await post('TTTT-TTTT-TTTT').expect(422);
    expect(retryAfter(await get(`/register/${code}`).expect(429))).to.be.within(31, 45);
    await elapse(24 * 3_600_000);
    for (const guess of ['SSSS-SSSS-SSSS', 'RRRR-RRRR-RRRR']) await post(guess).expect(422);
    await get(`/register/${code}`).expect(200);
    const [row] = await s.knex('selfreg_rate_limits').where('key', 'like', 'unknownCode:%').select('points');
    expect(Number(row.points)).to.equal(2);
  });
});
