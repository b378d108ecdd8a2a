/*
 * New passwords for the demo accounts, for a newcomer who lost the first start's terminal: only the
 * four seeded accounts, each given a fresh generated password (the Super admin keeps ADMIN_PASSWORD
 * when it is set). Passwords are never stored in the clear, so they cannot be shown again, only replaced.
 */
import type { Knex } from 'knex';
import { generatePassword, hashPassword } from './passwords.js';

export const DEMO_ACCOUNTS = [
  { label: 'Super admin', email: null },
  { label: 'Standard admin', email: 'editor@example.com' },
  { label: 'Staff learner', email: 'sam.staff@example.com' },
  { label: 'Client learner', email: 'chris.client@example.com' },
] as const;

export interface ResetAccount {
  readonly label: string;
  readonly email: string;
  /** Absent when the password comes from ADMIN_PASSWORD. */
  readonly password?: string;
}

export async function resetDemoPasswords(knex: Knex, config: { adminEmail: string; adminPassword?: string }): Promise<ResetAccount[]> {
  const done: ResetAccount[] = [];
  for (const account of DEMO_ACCOUNTS) {
    const email = account.email ?? config.adminEmail;
    const fromEnv = account.email === null && config.adminPassword !== undefined;
    const password = fromEnv ? config.adminPassword! : generatePassword();
    const changed = await knex('sandbox_users').whereRaw('lower(email) = lower(?)', [email]).update({ password_hash: await hashPassword(password) });
    if (changed > 0) done.push({ label: account.label, email, ...(!fromEnv && { password }) });
  }
  return done;
}
