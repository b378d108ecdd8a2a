import { expect } from 'chai';
import { nextDeliveryStep, parseRetryAfter } from '../../../../src/domain/webhooks/delivery-decision.js';

describe('domain/webhooks: what follows a try', () => {
  const policy = { baseDelayMs: 30_000, maxDelayMs: 6 * 3_600_000, windowMs: 3 * 86_400_000 };
  const now = new Date('2027-03-01T12:00:00Z');
  const fresh = { attempts: 1, createdAt: now, test: false };
  const backoff = (n: number) => 30_000 * 2 ** (n - 1);

  it('2xx is delivered; 410 fails at once and disables the endpoint', () => {
    expect(nextDeliveryStep({ kind: 'answered', status: 204, retryAfterMs: null }, fresh, now, policy, backoff)).to.deep.equal({ kind: 'delivered' });
    expect(nextDeliveryStep({ kind: 'answered', status: 410, retryAfterMs: null }, fresh, now, policy, backoff)).to.deep.equal({ kind: 'fail', disableEndpoint: true, reason: 'gone' });
  });

  it('anything else is retried with backoff, never sooner than Retry-After, at most the cap', () => {
    expect(nextDeliveryStep({ kind: 'answered', status: 500, retryAfterMs: null }, { ...fresh, attempts: 3 }, now, policy, backoff)).to.deep.equal({ kind: 'retry', delayMs: 120_000 });
    expect(nextDeliveryStep({ kind: 'answered', status: 429, retryAfterMs: 600_000 }, fresh, now, policy, backoff)).to.deep.equal({ kind: 'retry', delayMs: 600_000 });
    expect(nextDeliveryStep({ kind: 'answered', status: 503, retryAfterMs: 86_400_000 }, fresh, now, policy, backoff)).to.deep.equal({ kind: 'retry', delayMs: policy.maxDelayMs });
    expect(nextDeliveryStep({ kind: 'unreachable', error: 'ECONNREFUSED' }, fresh, now, policy, backoff)).to.deep.equal({ kind: 'retry', delayMs: 30_000 });
  });

  it('past its window (about three days) a delivery fails and its endpoint is disabled; a test send is tried once', () => {
    const old = { attempts: 20, createdAt: new Date(now.getTime() - policy.windowMs + 1000), test: false };
    expect(nextDeliveryStep({ kind: 'answered', status: 500, retryAfterMs: null }, old, now, policy, backoff)).to.deep.equal({ kind: 'fail', disableEndpoint: true, reason: 'window' });
    expect(nextDeliveryStep({ kind: 'answered', status: 500, retryAfterMs: null }, { ...fresh, test: true }, now, policy, backoff)).to.deep.equal({ kind: 'fail', disableEndpoint: false, reason: 'test' });
    expect(nextDeliveryStep({ kind: 'answered', status: 410, retryAfterMs: null }, { ...fresh, test: true }, now, policy, backoff)).to.deep.include({ disableEndpoint: false });
  });

  it('Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('120', now)).to.equal(120_000);
    expect(parseRetryAfter('Mon, 01 Mar 2027 12:05:00 GMT', now)).to.equal(300_000);
    expect(parseRetryAfter('soon', now)).to.equal(null);
    expect(parseRetryAfter(undefined, now)).to.equal(null);
  });
});
