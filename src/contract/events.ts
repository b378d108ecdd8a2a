/*
 * Host contract v1, events: what the host raises after a change committed. The manifest's hooks
 * (`action:user.updated`, …) name these events.
 */
import type { EnrolmentSource, HostUser, KnowledgeRef, UserType } from './data.js';
import type { LearningEventPayloads } from './reporting.js';

export const HOST_EVENTS = [
  'user.created', 'user.updated', 'user.deleted', 'enrolment.created', 'item.deleted', 'item.cloned',
  // 1.1 (optional): learning events; a host raises them if it offers `reports`
  'user.signed_in', 'learning.started', 'learning.progressed', 'learning.completed',
  // 1.1 (optional): the account is kept but its personal data erased; an enrolment removed
  'user.erased', 'enrolment.deleted',
] as const;
export type HostEventName = (typeof HOST_EVENTS)[number];

export interface HostEventPayloads extends LearningEventPayloads {
  'user.created': { user: HostUser };
  'user.updated': { user: HostUser; previousEmail?: string };
  'user.deleted': { userId: string };
  'enrolment.created': { userId: string; item: KnowledgeRef };
  'item.deleted': { item: KnowledgeRef };
  'item.cloned': { source: KnowledgeRef; clone: KnowledgeRef };
  'user.erased': { userId: string };
  /** `removedBy` is `admin` for a manual removal (rules then never enrol that person in it again). */
  'enrolment.deleted': { userId: string; item: KnowledgeRef; source: EnrolmentSource | null; removedBy: 'admin' | 'learner' | 'other' };
}

export type HostEventHandler<E extends HostEventName> = (payload: HostEventPayloads[E]) => Promise<void> | void;

/**
 * Host events. Handlers are actions: the host awaits them with its own timeout, catches and logs
 * their errors, and never lets them break the change that raised the event.
 */
export interface EventsPort extends FilterPort {
  on<E extends HostEventName>(event: E, handler: HostEventHandler<E>): () => void;
}

/**
 * Contract 1.1, filters: questions the host asks before it acts, which the plugin may answer with a
 * veto. `enrolment.self_enrol` is asked when a signed-in learner would enrol themselves in an item
 * opened for self-enrolment: both when the host lists its catalogue to that learner (a vetoed item
 * is not listed) and when the enrolment is requested (a vetoed request is refused with the veto's
 * message).
 */
export const HOST_FILTERS = ['enrolment.self_enrol'] as const;
export type HostFilterName = (typeof HOST_FILTERS)[number];

export interface HostFilterPayloads {
  'enrolment.self_enrol': { user: HostUser; item: KnowledgeRef; openTo: readonly UserType[] };
}

/** A refusal: a stable code and a sentence the host shows the person as it is. */
export interface FilterVeto {
  readonly code: string;
  readonly message: string;
}

/** Nothing (no objection) or a veto. */
export type HostFilterOutcome = void | undefined | { readonly veto: FilterVeto };

/**
 * A filter handler. The host runs a filter's handlers in priority order (lower first) and stops at
 * the first veto. It must treat a handler that throws or takes longer than its timeout as a veto
 * (fail closed), with a generic message.
 */
export type HostFilterHandler<F extends HostFilterName> = (payload: HostFilterPayloads[F]) => Promise<HostFilterOutcome> | HostFilterOutcome;

/** Optional (1.1) on `events`: joins a filter chain. Returns the function that leaves it. */
export interface FilterPort {
  filter?<F extends HostFilterName>(filter: F, handler: HostFilterHandler<F>, priority?: number): () => void;
}
