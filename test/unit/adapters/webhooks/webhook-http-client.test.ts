/*
 * The webhook client's guard against server-side request forgery, against real servers on loopback:
 * outside development (`public`) nothing on this machine or a private network is asked, whatever the
 * URL says; redirects are never followed; a slow receiver is cut off; a huge answer is not read whole.
 */
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookHttpClient } from '../../../../src/adapters/webhooks/webhook-http-client.js';
import { validateEndpoint } from '../../../../src/domain/webhooks/webhook-endpoint.js';
import { deliveryHeaders } from '../../../../src/adapters/webhooks/webhook-signature.js';
import { webhookSecrets } from '../../../../src/adapters/crypto/crypto.adapters.js';
import { Webhook } from 'standardwebhooks';

describe('adapters/webhooks: the guarded HTTP client', () => {
  let server: http.Server;
  let port = 0;
  const hits: string[] = [];
  let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => res.writeHead(200).end();

  before(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    hits.length = 0;
    handler = (_req, res) => res.writeHead(200).end();
  });

  it('outside development, loopback, private and link-local addresses are refused and never reached', async () => {
    const client = new WebhookHttpClient({ network: 'public', timeoutMs: 2000 });
    for (const url of [
      `http://127.0.0.1:${port}/a`, `https://127.0.0.1:${port}/b`, `https://localhost:${port}/c`, `https://[::1]:${port}/d`,
      'https://10.0.0.7/e', 'https://192.168.1.1/f', 'https://169.254.169.254/latest/meta-data', 'https://172.16.0.1/g', 'https://[fd00::1]/h',
    ]) {
      const outcome = await client.post(url, {}, '{}');
      expect(outcome.kind, url).to.equal('unreachable');
      expect(outcome.kind === 'unreachable' && outcome.error, url).to.match(/EADDRINTERNAL/);
    }
    expect(hits).to.deep.equal([]);
    client.close();
  });

  it('a name that resolves to an internal address is refused after resolving it (the checked address is the one connected to)', async () => {
    const client = new WebhookHttpClient({ network: 'public', timeoutMs: 2000 });
    // localhost.localdomain-style names: `localhost` resolves to loopback on every machine.
    const outcome = await client.post(`https://localhost:${port}/x`, {}, '{}');
    expect(outcome).to.deep.include({ kind: 'unreachable' });
    expect(hits).to.deep.equal([]);
    client.close();
  });

  it('the endpoint form refuses the same addresses outside development, and http:// anywhere but loopback in development', () => {
    const events = ['registration.created'];
    expect(validateEndpoint({ url: `http://127.0.0.1:${port}/`, events }, 'public').ok).to.equal(false);
    expect(validateEndpoint({ url: 'https://localhost/', events }, 'public').ok).to.equal(false);
    expect(validateEndpoint({ url: 'http://crm.example.com/', events }, 'loopback').ok).to.equal(false);
    expect(validateEndpoint({ url: 'https://user:pw@crm.example.com/', events }, 'public').ok).to.equal(false);
    expect(validateEndpoint({ url: 'https://crm.example.com/hooks', events: [] }, 'public').ok).to.equal(false);
    expect(validateEndpoint({ url: 'https://crm.example.com/hooks', events: ['registration.created', 'nope'] }, 'public').ok).to.equal(false);
    expect(validateEndpoint({ url: 'https://crm.example.com/hooks', events }, 'public').ok).to.equal(true);
    expect(validateEndpoint({ url: `http://127.0.0.1:${port}/`, events }, 'loopback').ok).to.equal(true);
  });

  it('in development loopback is allowed, and a signed request verifies with standardwebhooks', async () => {
    const client = new WebhookHttpClient({ network: 'loopback', timeoutMs: 2000 });
    const secret = webhookSecrets.generate();
    let verified = false;
    handler = (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        new Webhook(secret).verify(body, req.headers as Record<string, string>);
        verified = true;
        res.writeHead(204).end();
      });
    };
    const body = JSON.stringify({ type: 'webhook.test', timestamp: new Date().toISOString(), data: {} });
    const outcome = await client.post(`http://127.0.0.1:${port}/ok`, deliveryHeaders([secret], 'msg_1', body, new Date()), body);
    expect(outcome).to.deep.include({ kind: 'answered', status: 204 });
    expect(verified).to.equal(true);
    // Still no private network in development.
    expect((await client.post('https://10.1.2.3/', {}, '{}')).kind).to.equal('unreachable');
    client.close();
  });

  it('a redirect is not followed, Retry-After is read, a slow receiver is cut off, a huge answer is not read whole', async () => {
    const client = new WebhookHttpClient({ network: 'loopback', timeoutMs: 300 });
    handler = (req, res) => {
      if (req.url === '/redirect') return void res.writeHead(302, { location: `http://127.0.0.1:${port}/elsewhere` }).end();
      if (req.url === '/busy') return void res.writeHead(503, { 'retry-after': '120' }).end();
      if (req.url === '/huge') {
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 'x');
        for (let i = 0; i < 32; i++) res.write(chunk);
        return void res.end();
      }
      // '/slow': never answers.
    };
    expect(await client.post(`http://127.0.0.1:${port}/redirect`, {}, '{}')).to.deep.include({ kind: 'answered', status: 302 });
    expect(await client.post(`http://127.0.0.1:${port}/busy`, {}, '{}')).to.deep.include({ kind: 'answered', status: 503, retryAfterMs: 120_000 });
    const slow = await client.post(`http://127.0.0.1:${port}/slow`, {}, '{}');
    expect(slow.kind === 'unreachable' && slow.error).to.match(/ETIMEDOUT/);
    expect(await client.post(`http://127.0.0.1:${port}/huge`, {}, '{}')).to.deep.include({ kind: 'answered', status: 200 });
    expect(hits).not.to.include('/elsewhere');
    client.close();
  });
});
