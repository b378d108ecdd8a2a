/* The logo probe against a real HTTP server on loopback: what each answer means, and what is never asked. */
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { HttpLogoProbe } from '../../../../src/adapters/outbound/http-logo-probe.js';
import { isInternalAddress } from '../../../../src/adapters/shared/guarded-lookup.js';

describe('adapters/outbound: the logo probe', () => {
  let server: Server;
  let base: string;
  const asked: string[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      asked.push(`${req.method} ${req.url}`);
      if (req.url === '/logo.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(req.method === 'HEAD' ? undefined : 'x');
      if (req.url === '/page') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
      if (req.url === '/head-refused.svg') {
        if (req.method === 'HEAD') return void res.writeHead(405).end();
        return void res.writeHead(206, { 'content-type': 'image/svg+xml' }).end('<');
      }
      if (req.url === '/moved') return void res.writeHead(302, { location: '/logo.png' }).end();
      if (req.url === '/slow') return; // never answers
      res.writeHead(404, { 'content-type': 'text/html' }).end('not here');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const probe = (timeoutMs = 2000) => new HttpLogoProbe({ info: async () => ({ name: 'Acme', primaryAdminEmail: 'a@acme.test', publicBaseUrl: base, timeZone: 'UTC' }) } as never, timeoutMs);

  it('a path on the portal\'s own site: an image is ok, a 404 missing, a page not an image', async () => {
    expect(await probe().check('/logo.png')).to.equal('ok');
    expect(await probe().check('/nothing.png')).to.equal('missing');
    expect(await probe().check('/page')).to.equal('not-image');
  });

  it('asks with HEAD, and with a one-byte GET when HEAD is refused', async () => {
    asked.length = 0;
    expect(await probe().check('/head-refused.svg')).to.equal('ok');
    expect(asked).to.deep.equal(['HEAD /head-refused.svg', 'GET /head-refused.svg']);
  });

  it('a redirect or no answer in time is unchecked, not refused', async () => {
    expect(await probe().check('/moved')).to.equal('unchecked');
    expect(await probe(200).check('/slow')).to.equal('unchecked');
  });

  it('never asks an address on the machine\'s own network, or a plain http:// one elsewhere', async () => {
    asked.length = 0;
    for (const url of ['https://127.0.0.1/logo.png', 'https://[::1]/logo.png', 'https://10.0.0.8/logo.png', 'https://169.254.169.254/latest/meta-data', 'http://example.com/logo.png']) {
      expect(await probe().check(url), url).to.equal('unchecked');
    }
    expect(asked).to.deep.equal([]);
  });

  it('knows the internal ranges', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '224.0.0.1']) expect(isInternalAddress(ip), ip).to.equal(true);
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700::1111']) expect(isInternalAddress(ip), ip).to.equal(false);
  });
});
