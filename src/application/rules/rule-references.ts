import type { CheckedRule } from '../../domain/rules/enrolment-rule.js';
import { ErrorCodes, refuseWith, type Refusal } from '../../domain/shared/errors.js';
import type { KnowledgeItem } from '../../domain/shared/knowledge.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { TokenRepository } from '../../domain/ports/token-repository.port.js';

/**
 * Whether what a rule names exists: each item to enrol into (library content included — rules
 * are not bound to own content as tokens are) and the token of a "came through this token" rule.
 * Null when all is there; otherwise the first thing missing.
 */
export class RuleReferences {
  constructor(
    private readonly catalogue: CataloguePort,
    private readonly tokens: Pick<TokenRepository, 'findById'>,
  ) {}

  async missing(rule: CheckedRule): Promise<Refusal | null> {
    const refs = [...rule.enrolIn, ...(rule.conditions.arrival.kind === 'item_tokens' ? [rule.conditions.arrival.item] : [])];
    const found: KnowledgeItem[] = this.catalogue.getMany
      ? await this.catalogue.getMany(refs)
      : ((await Promise.all(refs.map((r) => this.catalogue.get(r)))).filter(Boolean) as KnowledgeItem[]);
    const gone = refs.find((r) => !found.some((i) => i.ref.type === r.type && i.ref.id === r.id));
    if (gone) return refuseWith(ErrorCodes.RULE_ITEM_NOT_FOUND, { type: gone.type, id: gone.id });
    const arrival = rule.conditions.arrival;
    if (arrival.kind === 'token' && !(await this.tokens.findById(arrival.tokenId))) return refuseWith(ErrorCodes.RULE_TOKEN_NOT_FOUND, { tokenId: arrival.tokenId });
    return null;
  }
}
