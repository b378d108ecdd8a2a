/* The 404 and error pages, body limits and protective headers (web/errors.ts, web/static.routes.ts). */
import { expect } from 'chai';
import supertest from 'supertest';
import { isDatabaseUnavailable } from '../../../sandbox/web/database-unavailable.js';
import { startTestSandbox } from '../helpers.js';
import type { TestSandbox } from '../helpers.js';

describe('sandbox pages', function () {
  let t: TestSandbox;

  before(async () => {
    t = await startTestSandbox();
  });
  after(async () => t?.destroy());

  describe('errors', () => {
    it('answers a 404 page for unknown paths', async () => {
      const res = await supertest(t.sandbox.app).get('/no/such/page').expect(404);
      expect(res.text).to.contain('Page not found');
      await supertest(t.sandbox.app).get('/api/nothing').expect(404).expect('Content-Type', /json/);
    });

    it('answers a generic 500 without internals and logs the error', async () => {
      const res = await supertest(t.sandbox.app).get('/fake/boom').expect(500);
      expect(res.text).to.contain('Something went wrong');
      expect(res.text).not.to.match(/secret_table|select \*|at Context|\.ts:/);
      expect(t.sandbox.logger.entries.some((e) => e.level === 'error' && e.message === 'Unhandled error')).to.equal(true);
    });

    it('answers 503 when the database is unreachable', async () => {
      const res = await supertest(t.sandbox.app).get('/fake/db-down').expect(503);
      expect(res.text).to.contain('temporarily unavailable');
      expect(res.headers['retry-after']).to.equal('30');
      expect(res.text).not.to.contain('ECONNREFUSED');
      expect(isDatabaseUnavailable({ code: '57P01' })).to.equal(true);
      expect(isDatabaseUnavailable({ name: 'KnexTimeoutError' })).to.equal(true);
      expect(isDatabaseUnavailable({ code: '23505' })).to.equal(false);
    });

    it('refuses oversized bodies with 413', async () => {
      await supertest(t.sandbox.app).post('/login').type('form').send(`email=${'a'.repeat(150_000)}`).expect(413);
    });

    it('sets protective headers', async () => {
      const res = await supertest(t.sandbox.app).get('/login').expect(200);
      expect(res.headers).to.include({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' });
      expect(res.headers['x-powered-by']).to.equal(undefined);
      await supertest(t.sandbox.app).get('/static/sandbox.css').expect(200).expect('Content-Type', /css/);
      await supertest(t.sandbox.app).get('/healthz').expect(200, 'ok');
    });
  });
});
