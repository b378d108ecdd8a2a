/*
 * `npm run scan`: sqlmap and wapiti against a running sandbox with the plugin, on a fresh embedded
 * database: sqlmap on the public registration form and on an admin form (signed in, with a valid
 * CSRF token), wapiti over the public and the signed-in pages. Needs `sudo apt-get install -y sqlmap
 * wapiti`. Reports go to test-artifacts/scan/; the summary line says what each tool found.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createSandbox } from '../sandbox/app.js';
import { loadSandboxConfig } from '../sandbox/config.js';
import { createKnex, migrateSandbox } from '../sandbox/db.js';
import { seedDemo } from '../sandbox/seed.js';

const OUT = path.resolve('test-artifacts/scan');
const PASSWORD = 'scan-admin-password-2026';
for (const tool of ['sqlmap', 'wapiti']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
    console.error(`${tool} is not installed: sudo apt-get install -y sqlmap wapiti`);
    process.exit(2);
  }
}
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'selfreg-scan-'));
const knex = createKnex({ memory: true });
const server = (await import('node:http')).createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const loaded = loadSandboxConfig({ SELFREG_SECRET: 'scan-secret-scan-secret-scan-secret-1234', PUBLIC_BASE_URL: base, ADMIN_PASSWORD: PASSWORD, SEAT_LIMIT: 'unlimited' }, { dataDir });
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
await migrateSandbox(knex);
await seedDemo(knex, loaded.config);
const sandbox = await createSandbox({ knex, config: loaded.config, quiet: true, sessionPruneIntervalMs: 0 });
// No abuse limits during the scan: the tools send thousands of requests from one address.
await sandbox.loadPlugin({ options: { rateLimitIp: 'off', rateLimitEmail: 'off', rateLimitToken: 'off', rateLimitUnknownCode: 'off', outboxPollMs: 60_000 } });
server.on('request', sandbox.app);

async function request(url: string, init: RequestInit & { cookie?: string } = {}): Promise<Response> {
  return fetch(url, { redirect: 'manual', ...init, headers: { ...(init.cookie && { cookie: init.cookie }), ...(init.headers as Record<string, string>) } });
}
const login = await request(`${base}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base }, body: `email=${encodeURIComponent(loaded.config.adminEmail)}&password=${PASSWORD}` });
const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
const topic = await knex('sandbox_items').where({ type: 'topic', origin: 'own' }).orderBy('id').first('id');
const settings = await (await request(`${base}/admin/items/topic/${topic.id}/settings`, { cookie })).text();
const csrf = /name="_csrf" value="([^"]+)"/.exec(settings)?.[1] ?? '';
const made = await request(`${base}/admin/self-registration/items/topic/${topic.id}/tokens`, { method: 'POST', cookie, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base }, body: `_csrf=${encodeURIComponent(csrf)}&nickname=Scan&returnTo=%2F` });
const code = (await knex('selfreg_tokens').first('id')) ? 'SCAN-CODE-0001' : '';
if (made.status !== 303 || !csrf || !cookie) throw new Error(`Setting up the scan failed (sign-in ${login.status}, token ${made.status})`);
await request(`${base}/admin/self-registration/items/topic/${topic.id}/tokens`, { method: 'POST', cookie, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base }, body: `_csrf=${encodeURIComponent(csrf)}&nickname=Scan+custom&customCode=${code}&returnTo=%2F` });
writeFileSync(path.join(OUT, 'cookie.txt'), cookie);

/** Runs a tool without blocking this process: the sandbox it scans answers from the same event loop. */
function run(name: string, cmd: string, args: string[]): Promise<string> {
  console.log(`\n== ${name}: ${cmd} ${args.join(' ').slice(0, 200)} ==`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGTERM'), 15 * 60_000);
    child.on('close', () => {
      clearTimeout(timer);
      writeFileSync(path.join(OUT, `${name}.log`), output);
      resolve(output);
    });
  });
}

/** sqlmap's own words: an identified injection point, or every tested parameter found not injectable. */
function verdict(log: string): string {
  if (/identified the following injection point|is vulnerable/i.test(log)) return 'INJECTABLE (see log)';
  const tested = [...log.matchAll(/parameter '([^']+)' does not seem to be injectable/gi)].map((m) => m[1]);
  if (/all tested parameters do not appear to be injectable/i.test(log) || tested.length > 0) return `no injection found (${[...new Set(tested)].join(', ')})`;
  return 'inconclusive (see log)';
}

const sqlmapCommon = ['--batch', '--level=2', '--risk=1', '--threads=2', '--disable-coloring', `--output-dir=${path.join(OUT, 'sqlmap')}`, '--flush-session'];
const findings: Record<string, string> = {};
// -p names every field: sqlmap would otherwise skip `token`, taking it for an anti-CSRF token.
const publicForm = await run('sqlmap-public-form', 'sqlmap', ['-u', `${base}/register`, '--data', `firstName=Ada&lastName=Lovelace&email=ada%40example.com&token=${code}`, '-p', 'firstName,lastName,email,token', '--headers', `Origin: ${base}`, ...sqlmapCommon]);
findings['sqlmap public form'] = verdict(publicForm);
const adminForm = await run('sqlmap-admin-form', 'sqlmap', ['-u', `${base}/admin/self-registration/items/topic/${topic.id}/tokens`, '--data', `_csrf=${encodeURIComponent(csrf)}&nickname=Scan&customCode=&expiresOn=&maxUses=&returnTo=%2F`, '--cookie', cookie, '--headers', `Origin: ${base}`, '--skip', '_csrf,returnTo', ...sqlmapCommon]);
findings['sqlmap admin form'] = verdict(adminForm);

const cookieJar = path.join(OUT, 'wapiti-cookies.json');
writeFileSync(cookieJar, JSON.stringify({ '127.0.0.1': { '/': { 'sandbox.sid': { name: 'sandbox.sid', value: cookie.split('=').slice(1).join('='), domain: '127.0.0.1', path: '/', version: 0, expires: null, secure: false, port: null } } } }));
for (const [name, extra] of [['wapiti-public', []], ['wapiti-signed-in', ['-c', cookieJar]]] as const) {
  const report = path.join(OUT, `${name}.json`);
  await run(name, 'wapiti', ['-u', `${base}/`, '-s', `${base}/register/${code}`, '--scope', 'folder', '-d', '3', '--max-scan-time', '300', '--max-attack-time', '60', '-f', 'json', '-o', report, '--flush-session', '--verify-ssl', '0', ...extra]);
  let summary = 'no report';
  if (existsSync(report)) {
    const vulns = (JSON.parse(readFileSync(report, 'utf8')) as { vulnerabilities?: Record<string, unknown[]> }).vulnerabilities ?? {};
    const found = Object.entries(vulns).filter(([, list]) => list.length > 0).map(([kind, list]) => `${kind}: ${list.length}`);
    summary = found.length ? found.join('; ') : 'no vulnerability found';
  }
  findings[name] = summary;
}

console.log('\n== summary ==');
for (const [k, v] of Object.entries(findings)) console.log(`${k.padEnd(20)} ${v}`);
writeFileSync(path.join(OUT, 'summary.json'), JSON.stringify(findings, null, 2));
await sandbox.close();
await knex.destroy();
server.close();
rmSync(dataDir, { recursive: true, force: true });
