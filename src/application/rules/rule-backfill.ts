import type { EnrolmentRule } from '../../domain/rules/enrolment-rule.js';
import { matches, ruleSource } from '../../domain/rules/rule-matching.js';
import { sameItem, type KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { RulePeopleFacts } from '../../domain/ports/enrolment-rule-repository.port.js';
import type { EnrolmentsPort, SqlSelect } from '../../domain/ports/enrolments.port.js';
import type { IdRange, RuleTargets } from '../../domain/ports/rule-backfill.port.js';
import type { Tx, UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import type { UsersPort } from '../../domain/ports/users.port.js';

/** The largest page `users.listByType` takes (contract 1.1). */
export const MAX_USER_PAGE = 5000;

export const itemKey = (item: KnowledgeRef): string => `${item.type}:${item.id}`;

export interface BackfillProgress {
  /** Known once the set-based path has cut the users into chunks; with paging, grows page by page. */
  readonly chunks: number;
  readonly chunksDone: number;
  readonly created: Readonly<Record<string, number>>;
}

export interface BackfillPorts {
  readonly uow: UnitOfWork;
  readonly users: UsersPort;
  readonly enrolments: EnrolmentsPort;
  readonly targets: RuleTargets;
  readonly facts: RulePeopleFacts;
  /** Users per chunk (each chunk is committed on its own, and reported). */
  readonly chunkSize: number;
}

/** Thrown inside a dry run's transaction so that what it did is rolled back and only counted. */
class DryRunDone {
  constructor(readonly created: Record<string, number>) {}
}

/**
 * Enrols a rule's matching existing users in its items. With the host's `users.selectByType` and
 * `enrolments.enrolSelected` it is set-based: the matching users are cut into ranges of ids by one
 * query, then each range is one INSERT … SELECT per item (the host's), joining the host's users
 * with the plugin's registrations and manual removals. Without them it pages through
 * `users.listByType`, matching each page in memory. A dry run does exactly the same inside one
 * transaction that it rolls back, so its counts are what applying would do.
 */
export class RuleBackfill {
  constructor(private readonly p: BackfillPorts) {}

  get setBased(): boolean {
    return !!this.p.users.selectByType && !!this.p.enrolments.enrolSelected;
  }

  async apply(rule: EnrolmentRule, report: (p: BackfillProgress) => Promise<void>): Promise<Record<string, number>> {
    const created: Record<string, number> = Object.fromEntries(rule.enrolIn.map((i) => [itemKey(i), 0]));
    if (this.setBased) {
      const users = this.p.users.selectByType!(rule.conditions.userTypes);
      const bounds = await this.p.targets.chunkBounds(rule, users, this.p.chunkSize);
      const ranges = rangesOf(bounds);
      await report({ chunks: ranges.length, chunksDone: 0, created });
      for (const [n, range] of ranges.entries()) {
        await this.p.uow.run((tx) => this.enrolRange(rule, users, range, created, tx));
        await report({ chunks: ranges.length, chunksDone: n + 1, created });
      }
      return created;
    }
    let done = 0;
    for await (const page of this.pages(rule)) {
      await this.p.uow.run((tx) => this.enrolRows(rule, page.rows, created, tx));
      done += 1;
      await report({ chunks: done + (page.last ? 0 : 1), chunksDone: done, created });
    }
    return created;
  }

  /** What applying would create per item, done and rolled back. */
  async dryRun(rule: EnrolmentRule): Promise<Record<string, number>> {
    const created: Record<string, number> = Object.fromEntries(rule.enrolIn.map((i) => [itemKey(i), 0]));
    try {
      await this.p.uow.run(async (tx) => {
        if (this.setBased) await this.enrolRange(rule, this.p.users.selectByType!(rule.conditions.userTypes), { after: null, upTo: null }, created, tx);
        else for await (const page of this.pages(rule, tx)) await this.enrolRows(rule, page.rows, created, tx);
        throw new DryRunDone(created);
      });
    } catch (e) {
      if (e instanceof DryRunDone) return e.created;
      throw e;
    }
    return created;
  }

  /** How many users match, and a few of their ids (before manual removals and existing enrolments). */
  async matched(rule: EnrolmentRule, sample: number): Promise<{ count: number; sample: string[] }> {
    if (this.p.users.selectByType) return this.p.targets.matched(rule, this.p.users.selectByType(rule.conditions.userTypes), sample);
    let count = 0;
    const ids: string[] = [];
    for await (const page of this.pages(rule)) {
      count += page.matched.length;
      for (const id of page.matched) if (ids.length < sample) ids.push(id);
    }
    return { count, sample: ids };
  }

  private async enrolRange(rule: EnrolmentRule, users: SqlSelect, range: IdRange, created: Record<string, number>, tx: Tx): Promise<void> {
    for (const item of rule.enrolIn) {
      const made = await this.p.enrolments.enrolSelected!(this.p.targets.select(rule, users, item, range), ruleSource(rule.id), tx);
      created[itemKey(item)] = (created[itemKey(item)] ?? 0) + made.created;
    }
  }

  private async enrolRows(rule: EnrolmentRule, rows: readonly { userId: string; item: KnowledgeRef }[], created: Record<string, number>, tx: Tx): Promise<void> {
    const source = ruleSource(rule.id);
    for (const item of rule.enrolIn) {
      const mine = rows.filter((r) => sameItem(r.item, item));
      if (mine.length === 0) continue;
      let made = 0;
      if (this.p.enrolments.enrolSelected) made = (await this.p.enrolments.enrolSelected(this.p.targets.rows(mine), source, tx)).created;
      else for (const r of mine) if ((await this.p.enrolments.enrolFrom!(r.userId, r.item, source, tx)).created) made += 1;
      created[itemKey(item)] = (created[itemKey(item)] ?? 0) + made;
    }
  }

  /** The paging path: each page of the rule's user types, matched in memory, as rows to enrol. */
  private async *pages(rule: EnrolmentRule, tx?: Tx): AsyncGenerator<{ rows: { userId: string; item: KnowledgeRef }[]; matched: string[]; last: boolean }> {
    let after: string | null = null;
    for (;;) {
      const page = await this.p.users.listByType!({ types: rule.conditions.userTypes, after, limit: Math.min(this.p.chunkSize, MAX_USER_PAGE) }, tx);
      const ids = page.users.map((u) => u.id);
      const [arrivals, suppressed] = await Promise.all([this.p.facts.arrivalsOf(ids, tx), this.p.facts.suppressedOf(ids, tx)]);
      const matched = page.users.filter((u) => matches(rule, { type: u.type, email: u.email, arrivals: arrivals.get(u.id) ?? [] }));
      const rows = matched.flatMap((u) =>
        rule.enrolIn.filter((item) => !(suppressed.get(u.id) ?? []).some((s) => sameItem(s, item))).map((item) => ({ userId: u.id, item })));
      yield { rows, matched: matched.map((u) => u.id), last: page.next === null };
      if (page.next === null) return;
      after = page.next;
    }
  }
}

/** Bounds b0 < b1 < … cut ids into (−∞, b0], (b0, b1], …, (bn, +∞). */
export function rangesOf(bounds: readonly string[]): IdRange[] {
  const ranges: IdRange[] = [];
  let after: string | null = null;
  for (const b of bounds) {
    ranges.push({ after, upTo: b });
    after = b;
  }
  ranges.push({ after, upTo: null });
  return ranges;
}
