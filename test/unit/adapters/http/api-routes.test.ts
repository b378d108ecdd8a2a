/*
 * The API router's edge on its own (a bare Express app, no host body parser): malformed bodies,
 * unexpected errors and an unreachable database all answer JSON with a stable code and nothing internal.
 */
import { expect } from 'chai';
import express from 'express';
import supertest from 'supertest';
import { ApiGate } from '../../../../src/adapters/http/api/api-gate.js';
import { ApiFallback } from '../../../../src/adapters/http/api/api-fallback.js';
import { TokensResource } from '../../../../src/adapters/http/api/tokens.resource.js';
import { TokenJson } from '../../../../src/adapters/http/api/token-json.js';
import { PLUGIN_ROOT } from '../../../../src/adapters/views.js';
import { readManifest } from '../../../../src/manifest/manifest.js';
import { Routes } from '../../../../src/manifest/routes.js';
import { CachedPortalFacts } from '../../../../src/adapters/host/portal-facts.js';
import type { AuthenticateApiKeyUseCase } from '../../../../src/application/api-keys/authenticate-api-key.use-case.js';
import type { ListTokensQuery } from '../../../../src/application/tokens/list-tokens.query.js';
import type { GetTokenQuery } from '../../../../src/application/tokens/get-token.query.js';
import { FakeLogger, PORTAL, FakePortal, user } from '../../../support/fakes/index.js';

const owner = user('1', { role: 'super_admin', type: 'staff' });
const KEY = `srk_${'a'.repeat(43)}`;

/** Use cases the API's tokens resource calls, stubbed by the test (the rest are never reached). */
interface TokenStubs {
  readonly listTokens?: ListTokensQuery['execute'];
  readonly getToken?: GetTokenQuery['execute'];
}

/** The `api` route's contributions composed as ManifestRoutes does: gate, resource, fallback. */
function appWith(tokens: TokenStubs, authenticate?: AuthenticateApiKeyUseCase['execute']) {
  const logger = new FakeLogger();
  const authenticateKey = {
    execute: authenticate ?? (async () => ({ ok: true as const, value: { user: owner, key: {} as never, channel: { via: 'api' as const, apiKeyId: '1', apiKeyName: 'k' } } })),
  } as unknown as AuthenticateApiKeyUseCase;
  const routes = new Routes(readManifest(PLUGIN_ROOT));
  const stub = <T>(execute: unknown): T => ({ execute }) as T;
  const resource = new TokensResource(
    routes, stub(tokens.listTokens), stub(tokens.getToken), stub(undefined), stub(undefined), stub(undefined), stub(undefined),
    new TokenJson(new CachedPortalFacts(new FakePortal(PORTAL)), routes), stub(undefined), new CachedPortalFacts(new FakePortal(PORTAL)),
  );
  const router = express.Router();
  for (const c of [new ApiGate(authenticateKey), resource, new ApiFallback(logger)]) c.contribute(router);
  const app = express();
  app.use('/api', router);
  return { app, logger };
}

const leaks = (text: string) => /select |insert |pg_|stack|\.ts:\d+|at [A-Za-z]+ \(/i.test(text);

describe('adapters/http api: the error edge (ApiGate, TokensResource, ApiFallback)', () => {
  it('malformed JSON is 400 VALIDATION.FAILED on field body', async () => {
    const { app } = appWith({});
    const res = await supertest(app).post('/api/tokens').set('Authorization', `Bearer ${KEY}`).set('Content-Type', 'application/json').send('{"item": ');
    expect(res.status).to.equal(400);
    expect(res.body).to.deep.equal({ error: { code: 'VALIDATION.FAILED', message: 'The body is not valid JSON.', field: 'body' } });
  });

  it('a body over 20 kB is refused without reading it', async () => {
    const { app } = appWith({});
    const res = await supertest(app).post('/api/tokens').set('Authorization', `Bearer ${KEY}`).send({ nickname: 'x'.repeat(30_000) });
    expect(res.status).to.equal(413);
    expect(res.body.error).to.deep.equal({ code: 'BODY.TOO_LARGE', message: 'The body is too large: at most 20 kB.', field: 'body' });
  });

  it('anonymous callers learn nothing about the body: authentication comes first', async () => {
    const { app } = appWith({}, async (header) => (header ? { ok: true, value: {} as never } : { ok: false, error: { code: 'AUTH.REQUIRED' } }));
    const res = await supertest(app).post('/api/tokens').set('Content-Type', 'application/json').send('{"item": ');
    expect(res.status).to.equal(401);
    expect(res.body.error.code).to.equal('AUTH.REQUIRED');
  });

  it('an unexpected error is a generic 500 INTERNAL.ERROR; the details go to the log only', async () => {
    const { app, logger } = appWith({
      listTokens: async () => {
        throw new Error('insert into "selfreg_tokens" violates constraint selfreg_tokens_uses_ck');
      },
    });
    const res = await supertest(app).get('/api/tokens').set('Authorization', `Bearer ${KEY}`);
    expect(res.status).to.equal(500);
    expect(res.body).to.deep.equal({ error: { code: 'INTERNAL.ERROR', message: 'Sorry, something went wrong on our side. Please try again in a moment.' } });
    expect(leaks(res.text)).to.equal(false);
    expect(logger.lines).to.deep.equal([{ level: 'error', message: 'API: unexpected error' }]);
  });

  it('an unreachable database is 503 SERVICE.UNAVAILABLE with Retry-After, also while authenticating', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const { app } = appWith({ getToken: async () => { throw down; } });
    const res = await supertest(app).get('/api/tokens/1').set('Authorization', `Bearer ${KEY}`);
    expect(res.status).to.equal(503);
    expect(res.headers['retry-after']).to.equal('30');
    expect(res.body.error.code).to.equal('SERVICE.UNAVAILABLE');
    expect(res.text).not.to.contain('5432');
    const auth = appWith({}, async () => { throw down; });
    const during = await supertest(auth.app).get('/api/tokens').set('Authorization', `Bearer ${KEY}`);
    expect(during.status).to.equal(503);
  });

  it('a bad item in a body names the field with a message that says what is expected', async () => {
    const { app } = appWith({});
    const res = await supertest(app).post('/api/tokens').set('Authorization', `Bearer ${KEY}`).send({ item: 42 });
    expect(res.status).to.equal(400);
    expect(res.body.error.field).to.equal('item');
    expect(res.body.error.message).to.contain('"type:id"');
  });
});
