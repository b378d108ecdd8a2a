/*
 * Host contract v1, events: what the host raises after a change committed. The manifest's hooks
 * (`action:user.updated`, …) name these events.
 */
import type { HostUser, KnowledgeRef } from './data.js';
import type { LearningEventPayloads } from './reporting.js';

export const HOST_EVENTS = [
  'user.created', 'user.updated', 'user.deleted', 'enrolment.created', 'item.deleted', 'item.cloned',
  // 1.1 (optional): learning events; a host raises them if it offers `reports`
  'user.signed_in', 'learning.started', 'learning.progressed', 'learning.completed',
] as const;
export type HostEventName = (typeof HOST_EVENTS)[number];

export interface HostEventPayloads extends LearningEventPayloads {
  'user.created': { user: HostUser };
  'user.updated': { user: HostUser; previousEmail?: string };
  'user.deleted': { userId: string };
  'enrolment.created': { userId: string; item: KnowledgeRef };
  'item.deleted': { item: KnowledgeRef };
  'item.cloned': { source: KnowledgeRef; clone: KnowledgeRef };
}

export type HostEventHandler<E extends HostEventName> = (payload: HostEventPayloads[E]) => Promise<void> | void;

/**
 * Host events. Handlers are actions: the host awaits them with its own timeout, catches and logs
 * their errors, and never lets them break the change that raised the event.
 */
export interface EventsPort {
  on<E extends HostEventName>(event: E, handler: HostEventHandler<E>): () => void;
}
