import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { Arrival } from '../../../domain/rules/rule-matching.js';
import type { KnowledgeRef, KnowledgeType } from '../../../domain/shared/knowledge.js';
import type { RulePeopleFacts, RulePersonFacts } from '../../../domain/ports/enrolment-rule-repository.port.js';
import type { Tx } from '../../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../../types.js';
import { on } from '../../shared/knex-helpers.js';

interface ArrivalRow { user_id: string; token_id: string | number | null; item_type: KnowledgeType; item_id: string; utm_campaign: string | null }
interface SuppressionRow { user_id: string; item_type: KnowledgeType; item_id: string }

const arrivalOf = (r: ArrivalRow): Arrival => ({
  tokenId: r.token_id === null ? null : String(r.token_id), tokenItem: { type: r.item_type, id: r.item_id }, campaign: r.utm_campaign,
});

function grouped<R extends { user_id: string }, T>(ids: readonly string[], rows: R[], map: (r: R) => T): Map<string, T[]> {
  const out = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const r of rows) out.get(r.user_id)?.push(map(r));
  return out;
}

/** How people came (selfreg_registrations: token, its item, campaign) and what admins removed by hand (selfreg_rule_suppressions). */
@injectable()
export class KnexRulePersonFacts implements RulePersonFacts, RulePeopleFacts {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async arrivals(userId: string, tx?: Tx): Promise<Arrival[]> {
    return (await this.arrivalsOf([userId], tx)).get(userId) ?? [];
  }

  async suppressed(userId: string, tx?: Tx): Promise<KnowledgeRef[]> {
    return (await this.suppressedOf([userId], tx)).get(userId) ?? [];
  }

  async suppress(userId: string, item: KnowledgeRef, at: Date, tx?: Tx): Promise<void> {
    await on(this.knex, tx)('selfreg_rule_suppressions')
      .insert({ user_id: userId, item_type: item.type, item_id: item.id, removed_at: at })
      .onConflict(['user_id', 'item_type', 'item_id']).merge(['removed_at']);
  }

  async arrivalsOf(userIds: readonly string[], tx?: Tx): Promise<Map<string, Arrival[]>> {
    if (userIds.length === 0) return new Map();
    const rows = (await on(this.knex, tx)('selfreg_registrations')
      .select('user_id', 'token_id', 'item_type', 'item_id', 'utm_campaign')
      .whereIn('user_id', [...userIds])) as ArrivalRow[];
    return grouped(userIds, rows, arrivalOf);
  }

  async suppressedOf(userIds: readonly string[], tx?: Tx): Promise<Map<string, KnowledgeRef[]>> {
    if (userIds.length === 0) return new Map();
    const rows = (await on(this.knex, tx)('selfreg_rule_suppressions').select('user_id', 'item_type', 'item_id').whereIn('user_id', [...userIds])) as SuppressionRow[];
    return grouped(userIds, rows, (r) => ({ type: r.item_type, id: r.item_id }));
  }
}
