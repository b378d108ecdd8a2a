/* The sandbox's pino logging and the logger port the plugin gets (host/logger.port.ts, plugin-loader.ts). */
import { expect } from 'chai';
import { createLogger, loggerPort } from '../../../sandbox/host/logger.port.js';
import { startTestSandbox } from '../helpers.js';
import type { TestSandbox } from '../helpers.js';

const written = () => {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => lines.push(line) } };
};

describe('sandbox logging', () => {
  it('writes one JSON object a line in the json format, context fields beside the message', () => {
    const out = written();
    const logger = createLogger({ format: 'json', destination: out.destination });
    logger.pino.warn({ path: '/login', origin: 'https://evil.example' }, 'Cross-origin POST refused');
    expect(out.lines).to.have.length(1);
    const record = JSON.parse(out.lines[0]!) as Record<string, unknown>;
    expect(record).to.include({ level: 40, msg: 'Cross-origin POST refused', path: '/login', origin: 'https://evil.example' });
    expect(record.time).to.be.a('number');
  });

  it('writes readable lines in the pretty format', () => {
    const out = written();
    const logger = createLogger({ format: 'pretty', destination: out.destination });
    logger.pino.info({ path: '/register', kind: 'public' }, 'Mounted');
    expect(out.lines).to.have.length(1);
    expect(out.lines[0]).to.match(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] INFO: Mounted \{"path":"\/register","kind":"public"\}\n$/);
  });

  it('keeps the last 200 records in entries, also when quiet, and writes nothing out when quiet', () => {
    const out = written();
    const logger = createLogger({ quiet: true, destination: out.destination });
    for (let i = 0; i < 205; i++) logger.pino.info({ i }, `line ${i}`);
    logger.pino.error('the last one');
    expect(out.lines).to.deep.equal([]);
    expect(logger.entries).to.have.length(200);
    expect(logger.entries[0]).to.deep.include({ level: 'info', message: 'line 6', context: { i: 6 } });
    expect(logger.entries.at(-1)).to.deep.include({ level: 'error', message: 'the last one' });
    expect(logger.entries.at(-1)!.context).to.equal(undefined);
    expect(logger.entries.at(-1)!.at).to.be.instanceOf(Date);
  });

  it('adapts the contract\'s info(message, context) to pino and serialises a failure under error', () => {
    const logger = createLogger({ quiet: true });
    const port = loggerPort(logger.pino.child({ plugin: 'demo' }));
    port.info('Daily digest dropped', { day: '2026-03-01' });
    port.warn('Rate limit reached', { limit: 'ip' });
    port.error('Outbox drain failed', { error: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    port.info('no context');
    expect(logger.entries.map((e) => [e.level, e.message, e.context?.plugin])).to.deep.equal([
      ['info', 'Daily digest dropped', 'demo'],
      ['warn', 'Rate limit reached', 'demo'],
      ['error', 'Outbox drain failed', 'demo'],
      ['info', 'no context', 'demo'],
    ]);
    expect(logger.entries[0]!.context).to.deep.equal({ plugin: 'demo', day: '2026-03-01' });
    expect(logger.entries[2]!.context!.error).to.deep.include({ type: 'Error', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' });
  });

  describe('on the sandbox', () => {
    let t: TestSandbox;
    before(async () => {
      t = await startTestSandbox({ seed: false });
    });
    after(async () => t?.destroy());

    it('hands the plugin a logger bound to its manifest id, and logs the host\'s own records unbound', () => {
      const started = t.sandbox.logger.entries.filter((e) => e.message === 'Fake plugin started');
      expect(started).to.have.length(1);
      expect(started[0]!.context).to.deep.include({ plugin: 'self-registration' });
      const loaded = t.sandbox.logger.entries.find((e) => e.message === 'Plugin started');
      expect(loaded?.context).to.deep.equal({ id: 'self-registration', version: t.sandbox.plugin!.manifest.version });
      const mounted = t.sandbox.logger.entries.find((e) => e.message === 'Mounted');
      expect(mounted?.context).to.deep.equal({ path: '/fake', kind: 'public' });
    });
  });
});
