import { expect } from 'chai';
import { backoff, classifyFailure, describeFailure, nextStep, RenderError } from '../../../../src/adapters/mail/delivery-policy.js';

const policy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 10_000, maxOutageDelayMs: 3000 };
const smtpError = (responseCode: number, code = 'EMESSAGE') => Object.assign(new Error(`${responseCode} no`), { responseCode, code });

describe('adapters/mail/delivery-policy: after a failed send', () => {
  it('classifies SMTP answers and transport errors', () => {
    expect(classifyFailure(smtpError(550, 'EENVELOPE'))).to.equal('permanent');
    expect(classifyFailure(smtpError(554))).to.equal('permanent');
    expect(classifyFailure(smtpError(451))).to.equal('temporary');
    expect(classifyFailure(smtpError(421, 'EENVELOPE'))).to.equal('temporary');
    expect(classifyFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET' }))).to.equal('outage');
    expect(classifyFailure(Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' }))).to.equal('outage');
    expect(classifyFailure(Object.assign(new Error('Invalid login'), { code: 'EAUTH', responseCode: undefined }))).to.equal('outage');
    expect(classifyFailure(Object.assign(new Error('No recipients defined'), { code: 'EENVELOPE' }))).to.equal('permanent');
    expect(classifyFailure(new RenderError('missing template'))).to.equal('permanent');
    expect(classifyFailure(new Error('something odd'))).to.equal('temporary');
  });

  it('backs off exponentially with ±25 % jitter, capped', () => {
    expect([1, 2, 3].map((n) => backoff(n, 1000, 10_000, () => 0.5))).to.deep.equal([1000, 2000, 4000]);
    expect(backoff(2, 1000, 10_000, () => 0)).to.equal(1500);
    expect(backoff(2, 1000, 10_000, () => 0.999999)).to.equal(2500);
    expect(backoff(10, 1000, 10_000, () => 0.5)).to.equal(10_000);
  });

  it('parks a permanent failure at once', () => {
    expect(nextStep('permanent', 1, 0, policy)).to.deep.equal({ kind: 'fail', reason: 'permanent' });
  });

  it('retries a temporary failure until the last try, then parks it', () => {
    expect(nextStep('temporary', 3, 0, policy, () => 0.5)).to.deep.equal({ kind: 'retry', delayMs: 4000, outage: false });
    expect(nextStep('temporary', 4, 0, policy, () => 0.5)).to.deep.equal({ kind: 'fail', reason: 'last try' });
  });

  it('an outage never parks: it waits, at most the outage cap between tries, however long it lasts', () => {
    expect(nextStep('outage', 1, 0, policy, () => 0.5)).to.deep.equal({ kind: 'retry', delayMs: 1000, outage: true });
    expect(nextStep('outage', 1, 500, policy, () => 0.5)).to.deep.equal({ kind: 'retry', delayMs: 3000, outage: true });
  });

  it('describes a failure on one line, with the SMTP answer when there is one', () => {
    expect(describeFailure(Object.assign(new Error("Can't send mail - all recipients were rejected"), { code: 'EENVELOPE', response: '550 5.1.1 <x@acme.test>: no such\r\n user' })))
      .to.equal('EENVELOPE: 550 5.1.1 <x@acme.test>: no such user');
    expect(describeFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ESOCKET' }))).to.equal('ESOCKET: connect ECONNREFUSED 127.0.0.1:2525');
  });
});
