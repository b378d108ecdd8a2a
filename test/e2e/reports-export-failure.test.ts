/*
 * A report that fails part-way through its export ends the connection instead of delivering a file
 * that looks complete; one that cannot start answers an ordinary error. Over a real socket.
 */
import { expect } from 'chai';
import http from 'node:http';
import type { RegistrationReportPort } from '../../src/domain/ports/registration-report.port.js';
import type { RegistrationReportRow } from '../../src/domain/reports/registration-report.js';
import { TYPES } from '../../src/types.js';
import { startRegistrationSandbox, type RegistrationSandbox } from './registration-helpers.js';
import { signIn, type Person } from '../support/sign-in.js';

const row = (i: number): RegistrationReportRow => ({
  id: String(100_000 - i), userId: String(i), email: `p${i}@example.com`, firstName: 'Row', lastName: String(i), userType: 'prospect', newUser: true,
  tokenId: '1', tokenNickname: 'Fair', item: { type: 'topic', id: '1' }, registeredAt: new Date(), activatedAt: null, startedAt: null,
  completedAt: null, outcome: null, attribution: null,
});

interface Answer {
  status: number;
  complete: boolean;
  aborted: boolean;
  body: string;
}

function fetchOverSocket(base: string, path: string, cookie: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${path}`, { headers: { Cookie: cookie } }, (res) => {
      let body = '';
      let aborted = false;
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('aborted', () => (aborted = true));
      res.on('error', () => (aborted = true));
      res.on('close', () => resolve({ status: res.statusCode ?? 0, complete: res.complete, aborted, body }));
    });
    req.on('error', reject);
  });
}

describe('e2e: a failing export', function () {
  this.timeout(60_000);
  let s: RegistrationSandbox;
  let admin: Person;
  let store: RegistrationReportPort;
  let original: RegistrationReportPort['stream'];

  before(async () => {
    s = await startRegistrationSandbox({ listen: true });
    admin = await signIn(s.t, 'Super admin');
    store = s.plugin.container.get<RegistrationReportPort>(TYPES.RegistrationReport);
    original = store.stream.bind(store);
  });
  afterEach(() => {
    store.stream = original;
  });
  after(() => s?.close());

  it('ends the connection when the database fails mid-stream: no complete file', async () => {
    store.stream = async function* () {
      for (let i = 0; i < 5000; i++) yield row(i);
      throw new Error('connection to the database lost');
    };
    const answer = await fetchOverSocket(s.base, '/admin/self-registration/reports/registrations?format=csv', admin.cookie);
    expect(answer.status).to.equal(200);
    expect(answer.body.length).to.be.greaterThan(10_000);
    expect(answer.complete).to.equal(false);
    expect(answer.aborted).to.equal(true);
    const logged = s.t.sandbox.logger.entries.map((e) => JSON.stringify(e)).join('\n');
    expect(logged).to.contain('export failed part-way');
  });

  it('a report that cannot start answers the usual error, not a file', async () => {
    store.stream = async function* () {
      yield* [];
      throw new Error('connection to the database lost');
    };
    const answer = await fetchOverSocket(s.base, '/admin/self-registration/reports/registrations?format=csv', admin.cookie);
    expect(answer.status).to.equal(500);
    expect(answer.complete).to.equal(true);
    expect(answer.body).to.not.contain('Name,Email');
  });

  it('the same export, unbroken, is complete', async () => {
    const answer = await fetchOverSocket(s.base, '/admin/self-registration/reports/registrations?format=csv', admin.cookie);
    expect(answer.status).to.equal(200);
    expect(answer.complete).to.equal(true);
    expect(answer.body.startsWith('Name,Email,User type,Account,Token')).to.equal(true);
  });
});
