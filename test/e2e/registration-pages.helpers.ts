/*
 * Shared setup of the public registration page suites: a registration sandbox delivering to a real
 * SMTP server on loopback, a topic token, the Super admin who changes the branding, and the helpers
 * that post the form and save the branding.
 */
import supertest from 'supertest';
import { TYPES } from '../../src/types.js';
import type { SaveBranding } from '../../src/application/branding/save-branding.use-case.js';
import type { BrandingInput } from '../../src/domain/branding/branding.js';
import type { HostUser } from '../../src/domain/shared/user.js';
import type { SmtpCapture } from '../support/smtp.js';
import { NO_LIMITS, startRegistrationSandbox, type RegistrationSandbox } from './registration-helpers.js';

/** Starts the SMTP capture and the sandbox, and makes the token the suites register with. */
export async function startPagesSandbox(smtp: SmtpCapture): Promise<{ s: RegistrationSandbox; code: string; tokenId: string; admin: HostUser }> {
  await smtp.start();
  const s = await startRegistrationSandbox({ env: { SMTP_URL: smtp.url }, options: { ...NO_LIMITS, smtpUrl: smtp.url } });
  const token = await s.token(s.items.topic.ref, { nickname: 'Pages' });
  const admin = (await s.t.sandbox.host.users.findByEmail(s.t.accounts['Super admin']!.email))!;
  return { s, code: token.code!, tokenId: token.id, admin };
}

/** Requests against the sandbox `sandbox()` returns (read at call time, after `before`). */
export function pagesRequests(sandbox: () => RegistrationSandbox, token: () => string) {
  const anon = () => supertest(sandbox().t.sandbox.app);
  const form = (extra: Record<string, string> = {}) => ({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', token: token(), ...extra });
  /** Saves the branding as an admin would, through the SaveBranding use case. */
  const branding = () => ({
    update: (actor: HostUser | null, input: BrandingInput) => sandbox().plugin.container.get<SaveBranding>(TYPES.SaveBranding).execute(actor, input),
  });
  return { anon, form, branding };
}
