/* How Campus's rows cross the contract: UUIDs as strings, its own words mapped to the contract's. */
import type { HostUser, KnowledgeItem, KnowledgeType } from '../../src/contract/index.js';

export interface PersonRow {
  id: string;
  email: string;
  given_name: string;
  family_name: string;
  audience: HostUser['type'];
  admin_level: HostUser['role'];
  suspended: boolean;
  password: string | null;
}

export interface CourseRow {
  id: string;
  kind: KnowledgeType;
  name: string;
  imported: boolean;
  /** Audiences (comma-joined) who may join the course on their own; null when closed. */
  open_to?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids Campus never issued match nothing (and never reach PostgreSQL's uuid parser). */
export const isUuid = (id: unknown): id is string => typeof id === 'string' && UUID.test(id);

export const toUser = (row: PersonRow): HostUser => ({
  id: row.id,
  email: row.email,
  firstName: row.given_name,
  lastName: row.family_name,
  type: row.audience,
  role: row.admin_level ?? null,
  status: row.suspended ? 'suspended' : 'active',
});

export const toItem = (row: CourseRow): KnowledgeItem => ({
  ref: { type: row.kind, id: row.id },
  title: row.name,
  origin: row.imported ? 'library' : 'own',
  learnerUrl: `/learn/${row.id}`,
  selfEnrolment: row.open_to ? { openTo: row.open_to.split(',') as HostUser['type'][] } : null,
});
