import { expect } from 'chai';
import { readManifest } from '../../../../src/manifest/manifest.js';
import { optionProblems, resolveOptions } from '../../../../src/manifest/options.js';
import { PLUGIN_ROOT } from '../../../../src/adapters/views.js';
import { validateOptions } from '../../../../src/plugin.js';

const manifest = readManifest(PLUGIN_ROOT);
const mailProblems = (options: Parameters<typeof validateOptions>[0]): string[] =>
  optionProblems(manifest, options).filter((p) => /^(mail|smtp|digest)/.test(p.key)).map((p) => p.message);

describe('adapters/mail: mail and notification options', () => {
  const secret = 'x'.repeat(32);

  it('applies the documented defaults', () => {
    expect(resolveOptions(manifest, { secret })).to.include({
      mailFrom: 'no-reply@localhost', outboxPollMs: 2000, mailMaxAttempts: 10, mailRetryBaseMs: 30_000, mailOutageRetryMaxMs: 300_000, smtpMaxConnections: 5, digestHour: 7, digestCheckMs: 60_000,
    });
    expect(resolveOptions(manifest, { secret, digestHour: 0, mailMaxAttempts: 3, mailFrom: 'a@b.test' })).to.include({ digestHour: 0, mailMaxAttempts: 3, mailFrom: 'a@b.test' });
  });

  it('names every bad value and what it must be; register() refuses them', () => {
    const bad = { secret, mailMaxAttempts: 0, mailRetryBaseMs: 1.5, smtpMaxConnections: 51, digestHour: 24, digestCheckMs: 10, mailOutageRetryMaxMs: -1 };
    const problems = [
      'options.mailMaxAttempts must be a whole number from 1 to 100.',
      'options.mailRetryBaseMs must be a whole number of milliseconds from 10 to 3600000.',
      'options.mailOutageRetryMaxMs must be a whole number of milliseconds from 10 to 3600000.',
      'options.smtpMaxConnections must be a whole number from 1 to 50.',
      'options.digestHour must be a whole hour from 0 to 23.',
      'options.digestCheckMs must be a whole number of milliseconds from 50 to 3600000.',
    ];
    expect(mailProblems(bad)).to.deep.equal(problems);
    expect(validateOptions(bad)).to.deep.equal(problems);
    expect(mailProblems({ secret, digestHour: '7' as unknown as number })).to.deep.equal(['options.digestHour must be a whole hour from 0 to 23.']);
    expect(mailProblems({ secret, digestHour: 23, mailMaxAttempts: 100 })).to.deep.equal([]);
  });
});
