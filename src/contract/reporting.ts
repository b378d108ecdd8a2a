/*
 * Host contract 1.1 (optional), reporting: the host owns learning records and its item reports; the
 * plugin contributes the columns and filters only it knows (how a learner came: token, registration,
 * campaign) to every item report of the host, and hears the learning events its own figures need.
 */
import type { KnowledgeRef, Tx, UserType } from './data.js';

/** The four reports an item has in the host (logins, progress, outcomes, answers). */
export type HostReportId = 'logins' | 'progress' | 'outcomes' | 'answers';

export interface ReportColumn {
  /** Stable id, e.g. `registeredThrough`. */
  readonly id: string;
  /** Header shown on screen and in the CSV. */
  readonly label: string;
}

export interface ReportFilterOption {
  readonly value: string;
  readonly label: string;
}

export interface ReportFilter {
  /** Stable id, used as the query parameter's name, e.g. `selfregToken`. */
  readonly id: string;
  readonly label: string;
  /** The choices for this item (e.g. its tokens); an empty value means "any". */
  readonly options: readonly ReportFilterOption[];
}

/** What the plugin adds to one item's reports; asked per item, so options can list that item's tokens. */
export interface ReportContribution {
  readonly columns: readonly ReportColumn[];
  readonly filters: readonly ReportFilter[];
}

/**
 * Registered by the plugin with `reports.contribute`. The host calls it while building an item's
 * report, on screen and in the CSV alike, so both show the same rows and columns.
 */
export interface ReportContributor {
  /** The columns and filters for this item's reports. */
  describe(item: KnowledgeRef, tx?: Tx): Promise<ReportContribution>;
  /**
   * The contributed columns' values for one page of the host's rows: a value (or null) per column id,
   * for each user id given (at most 1,000 per call; the host streams its report page by page).
   */
  values(item: KnowledgeRef, userIds: readonly string[], tx?: Tx): Promise<ReadonlyMap<string, Readonly<Record<string, string | null>>>>;
  /**
   * The users a chosen set of the contributed filters keeps (filter id → chosen value; absent or
   * empty: not filtered), or null when none is chosen. Bounded by the item's registrations.
   */
  usersMatching(item: KnowledgeRef, chosen: Readonly<Record<string, string>>, tx?: Tx): Promise<readonly string[] | null>;
}

export interface ReportsPort {
  /** Adds the plugin's columns and filters to every item report of the host; returns the way to take them off. */
  contribute(contributor: ReportContributor): () => void;
}

/** Learning events (1.1): raised after commit, like every host event. `at` is an ISO 8601 instant. */
export interface LearningEventPayloads {
  /** A person signed in to the host (any way: password, emailed link, SSO). */
  'user.signed_in': { userId: string; at: string };
  /** A learner opened an item they are enrolled in for the first time. */
  'learning.started': { userId: string; item: KnowledgeRef; at: string };
  /** A learner's progress in an item changed (0–100). */
  'learning.progressed': { userId: string; item: KnowledgeRef; percent: number; at: string };
  /** A learner finished an item: `passed`/`failed` when it has a scored quiz, else `completed`. */
  'learning.completed': { userId: string; item: KnowledgeRef; outcome: 'passed' | 'failed' | 'completed'; score: number | null; at: string };
}

/** The user types a report may be filtered by: the host's own and the plugin's `prospect`. */
export type ReportUserType = UserType;
