/* Shared by the reports suites: registrations seeded straight into the plugin's table, with known user types, tokens, items, steps and dates. */
import type { Knex } from 'knex';
import type { KnowledgeRef } from '../../src/domain/shared/knowledge.js';

export type UserType = 'staff' | 'client' | 'prospect';
export type Step = 'invited' | 'activated' | 'started' | 'completed';

export interface Seeded {
  id: string;
  userType: UserType;
  step: Step;
  tokenId: string;
  item: KnowledgeRef;
  at: Date;
  firstName: string;
  newUser: boolean;
}

export const USER_TYPES: UserType[] = ['staff', 'client', 'prospect'];
export const STEPS: Step[] = ['invited', 'activated', 'started', 'completed'];

/**
 * Every user type × every step × each token given, on consecutive days of November 2026 at noon UTC;
 * first names include spreadsheet formulas, so every export of them is a formula-injection check.
 */
export async function seedRegistrations(knex: Knex, tokens: { id: string; item: KnowledgeRef; nickname: string }[]): Promise<Seeded[]> {
  const names = ['=HYPERLINK("http://evil.example","x")', '+Plus', '-Minus', '@At', 'Ada, "the first"', 'Zoë'];
  const rows: Seeded[] = [];
  let n = 0;
  for (const token of tokens) {
    for (const userType of USER_TYPES) {
      for (const step of STEPS) {
        const at = new Date(Date.UTC(2026, 10, 1 + (n % 28), 12));
        const later = (h: number) => new Date(at.getTime() + h * 3_600_000);
        const stepIndex = STEPS.indexOf(step);
        const firstName = names[n % names.length]!;
        const [row] = await knex('selfreg_registrations')
          .insert({
            token_id: token.id, token_nickname: token.nickname, item_type: token.item.type, item_id: token.item.id,
            user_id: String(90_000 + n), new_user: step === 'invited' || n % 2 === 0, created_at: at,
            user_email: `person${n}@example.com`, user_first_name: firstName, user_last_name: `Seed${n}`, user_type: userType,
            activated_at: stepIndex >= 1 ? later(1) : null, started_at: stepIndex >= 2 ? later(2) : null,
            completed_at: stepIndex >= 3 ? later(3) : null, outcome: stepIndex >= 3 ? 'passed' : null,
            utm_source: n % 3 === 0 ? 'newsletter' : null, utm_campaign: n % 3 === 0 ? 'spring' : null,
          })
          .returning('id');
        rows.push({ id: String((row as { id: unknown }).id), userType, step, tokenId: token.id, item: token.item, at, firstName, newUser: step === 'invited' || n % 2 === 0 });
        n++;
      }
    }
  }
  return rows;
}

/** The ids a filter keeps, newest first: what the report must answer. */
export function expected(rows: Seeded[], f: { userType?: UserType; tokenId?: string; item?: KnowledgeRef; step?: Step; from?: Date; to?: Date }): string[] {
  return rows
    .filter((r) => (!f.userType || r.userType === f.userType) && (!f.tokenId || r.tokenId === f.tokenId)
      && (!f.item || (r.item.type === f.item.type && r.item.id === f.item.id)) && (!f.step || r.step === f.step)
      && (!f.from || r.at >= f.from) && (!f.to || r.at < f.to))
    .map((r) => r.id)
    .sort((a, b) => Number(b) - Number(a));
}
