import type { EnrolmentRule } from '../../domain/rules/enrolment-rule.js';
import type { EnrolmentRuleRepository } from '../../domain/ports/enrolment-rule-repository.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';

/**
 * How long a registration may use the rules read earlier: a rule created or changed on another
 * instance reaches registrations here within this time (this instance's own changes at once).
 */
export const RULES_CACHE_MS = 2000;

interface Snapshot {
  readonly rules: readonly EnrolmentRule[];
  /** Identifies the rules' content: equal fingerprints, equal rules. */
  readonly fingerprint: string;
  readonly at: number;
}

const fingerprintOf = (rules: readonly EnrolmentRule[]): string =>
  rules.map((r) => `${r.id}@${r.updatedAt.getTime()}${r.enabled ? '+' : '-'}`).sort().join(',');

/**
 * The enrolment rules, kept in memory for RULES_CACHE_MS so a registration pays no query for them.
 * Dropped at once by this instance's own changes (`invalidate`); concurrent readers share one load.
 */
export class RulesCache {
  private snapshot: Snapshot | null = null;
  private loading: Promise<Snapshot> | null = null;
  private generation = 0;

  constructor(
    private readonly repo: Pick<EnrolmentRuleRepository, 'list'>,
    private readonly millis: () => number = () => performance.now(),
    private readonly ttlMs = RULES_CACHE_MS,
  ) {}

  /**
   * Every rule with the fingerprint of the set (switched-off rules included: the caller decides).
   * A caller inside a transaction passes it, so a reload reads on that transaction's connection
   * rather than waiting for another (a single-connection database would wait forever).
   */
  async current(tx?: Tx): Promise<{ rules: readonly EnrolmentRule[]; fingerprint: string }> {
    const s = this.snapshot;
    if (s && this.millis() - s.at < this.ttlMs) return s;
    return this.load(tx);
  }

  invalidate(): void {
    this.generation += 1;
    this.snapshot = null;
    this.loading = null;
  }

  private load(tx?: Tx): Promise<Snapshot> {
    // A load on a transaction is that caller's own; others share one load outside any.
    if (this.loading && !tx) return this.loading;
    const generation = this.generation;
    const loading = this.repo.list(tx).then((rules) => {
      const snapshot = { rules, fingerprint: fingerprintOf(rules), at: this.millis() };
      // A change made while this read ran leaves it uncached.
      if (generation === this.generation) this.snapshot = snapshot;
      return snapshot;
    });
    if (tx) return loading;
    this.loading = loading;
    const clear = () => {
      if (this.loading === loading) this.loading = null;
    };
    loading.then(clear, clear);
    return loading;
  }
}
