/*
 * Shared setup of the security-registration suites: a registration sandbox delivering to a real
 * SMTP server on loopback, a topic token, and the helpers that post the form and wait for mail.
 */
import supertest from 'supertest';
import { linkIn, type SmtpCapture } from '../support/smtp.js';
import { NO_LIMITS, startRegistrationSandbox, type RegistrationSandbox } from './registration-helpers.js';

export const BASE = 'https://learn.acme.test';
export const XSS = '"><img src=x onerror=alert(1)>';
export const XSS_ESCAPED = '&#34;&gt;&lt;img src=x onerror=alert(1)&gt;';

/** Starts the SMTP capture and the sandbox, and makes the token the suites register with. */
export async function startSecuritySandbox(smtp: SmtpCapture): Promise<{ s: RegistrationSandbox; code: string }> {
  await smtp.start();
  // An http base URL, so the sandbox's session cookie is not Secure and test agents keep it.
  const s = await startRegistrationSandbox({ env: { SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'http://learn.acme.test' }, options: { ...NO_LIMITS, smtpUrl: smtp.url, mailRetryBaseMs: 50 } });
  const code = (await s.token(s.items.topic.ref, { nickname: 'Security' })).code!;
  return { s, code };
}

/** Requests and mail waits against the sandbox `sandbox()` returns (read at call time, after `before`). */
export function securityRequests(sandbox: () => RegistrationSandbox, token: () => string, smtp: SmtpCapture) {
  const anon = () => supertest(sandbox().t.sandbox.app);
  const form = (extra: Record<string, string> = {}) => ({ firstName: 'Ada', lastName: 'Lovelace', token: token(), ...extra });
  /** Waits until the outbox has delivered everything queued so far; returns the count of mails received (a mark). */
  const settled = async (): Promise<number> => {
    for (let i = 0; i < 200; i++) {
      const pending = Number((await sandbox().knex('selfreg_outbox').whereIn('status', ['queued', 'sending']).count({ n: '*' }).first())?.n ?? 0);
      if (pending === 0) return smtp.messages.length;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the outbox did not drain');
  };
  /** The newest mail to `to` that arrived after `mark` (a count of smtp.messages), waiting for it. */
  const mailTo = async (to: string, mark: number, kind = '') => {
    for (let i = 0; i < 200; i++) {
      const mail = smtp.messages.slice(mark).reverse().find((m) => m.envelopeTo[0] === to.toLowerCase() && (m.parsed.text ?? '').includes(kind));
      if (mail) return mail;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no mail to ${to}`);
  };
  /** The path of the emailed link in the newest mail to `to` since `mark`. */
  const linkPath = async (to: string, kind: 'invitation' | 'sign-in', mark: number) =>
    new URL(linkIn((await mailTo(to, mark, `/self-registration/${kind}/`)).parsed.text!, `/self-registration/${kind}/`)).pathname;
  return { anon, form, settled, mailTo, linkPath };
}
