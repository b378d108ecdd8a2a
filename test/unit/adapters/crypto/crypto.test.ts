import { expect } from 'chai';
import { CodeProtector, CsrfTokens, randomSource, sha256Hasher } from '../../../../src/adapters/crypto/crypto.adapters.js';

describe('code protection (security.md item 7)', () => {
  const protector = new CodeProtector({ secret: 'a'.repeat(40) });
  const other = new CodeProtector({ secret: 'b'.repeat(40) });

  it('digests are keyed: the same code under another secret gives another digest', () => {
    expect(protector.digest('7K3MQ9XA2B8D')).to.match(/^[0-9a-f]{64}$/);
    expect(protector.digest('7K3MQ9XA2B8D')).to.equal(protector.digest('7K3MQ9XA2B8D'));
    expect(protector.digest('7K3MQ9XA2B8D')).not.to.equal(other.digest('7K3MQ9XA2B8D'));
  });

  it('encrypts with a fresh nonce each time and decrypts back; the ciphertext hides the code', () => {
    const a = protector.encrypt('7K3M-Q9XA-2B8D');
    const b = protector.encrypt('7K3M-Q9XA-2B8D');
    expect(a).not.to.equal(b);
    expect(a).not.to.contain('7K3M');
    expect(protector.decrypt(a)).to.equal('7K3M-Q9XA-2B8D');
  });

  it('refuses a tampered ciphertext or the wrong key', () => {
    const c = protector.encrypt('WELCOME-2026');
    const parts = c.split('.');
    const body = Buffer.from(parts[3]!, 'base64');
    body[0] = body[0]! ^ 1;
    expect(() => protector.decrypt([parts[0], parts[1], parts[2], body.toString('base64')].join('.'))).to.throw();
    expect(() => other.decrypt(c)).to.throw();
  });
});

describe('link secrets and CSRF tokens', () => {
  it('link secrets carry 32 random bytes, URL-safe', () => {
    const s = randomSource.secret(32);
    expect(s).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(randomSource.secret(32)).not.to.equal(s);
    expect(sha256Hasher.hash(s)).to.match(/^[0-9a-f]{64}$/);
  });

  it('a CSRF token is valid only for the session it was issued to', () => {
    const csrf = new CsrfTokens({ secret: 'c'.repeat(40) });
    const token = csrf.issue('session-1');
    expect(csrf.verify('session-1', token)).to.equal(true);
    expect(csrf.verify('session-2', token)).to.equal(false);
    expect(csrf.verify(null, token)).to.equal(false);
    expect(csrf.verify('session-1', '')).to.equal(false);
    expect(csrf.verify('session-1', undefined)).to.equal(false);
  });
});
