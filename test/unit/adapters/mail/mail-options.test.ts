import { expect } from 'chai';
import { mailOptionProblems, mailOptions } from '../../../../src/adapters/mail/mail-options.js';
import { validateOptions } from '../../../../src/plugin.js';

describe('adapters/mail: mail and notification options', () => {
  const secret = 'x'.repeat(32);

  it('applies the documented defaults', () => {
    expect(mailOptions({ secret })).to.deep.equal({
      from: 'no-reply@localhost', pollMs: 2000, maxAttempts: 10, retryBaseMs: 30_000, outageRetryMaxMs: 300_000, smtpMaxConnections: 5, digestHour: 7, digestCheckMs: 60_000,
    });
    expect(mailOptions({ secret, digestHour: 0, mailMaxAttempts: 3, mailFrom: 'a@b.test' })).to.include({ digestHour: 0, maxAttempts: 3, from: 'a@b.test' });
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
    expect(mailOptionProblems(bad)).to.deep.equal(problems);
    expect(validateOptions(bad)).to.deep.equal(problems);
    expect(mailOptionProblems({ secret, digestHour: '7' as unknown as number })).to.deep.equal(['options.digestHour must be a whole hour from 0 to 23.']);
    expect(mailOptionProblems({ secret, digestHour: 23, mailMaxAttempts: 100 })).to.deep.equal([]);
  });
});
