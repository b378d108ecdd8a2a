/*
 * The rows of the sandbox_* tables and how they cross the contract: ids as strings, users as
 * HostUser, items as KnowledgeItem with their learner URL.
 */
import { USER_TYPES } from '../../src/contract/index.js';
import type { HostUser, KnowledgeItem, KnowledgeType, UserType } from '../../src/contract/index.js';

export interface UserRow {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  type: HostUser['type'];
  role: HostUser['role'];
  status: HostUser['status'];
  password_hash: string | null;
  created_at: Date;
}

export interface ItemRow {
  id: number;
  type: KnowledgeType;
  title: string;
  body: string;
  origin: 'own' | 'library';
  created_at: Date;
}

export const toHostUser = (row: UserRow): HostUser => ({
  id: String(row.id),
  email: row.email,
  firstName: row.first_name,
  lastName: row.last_name,
  type: row.type,
  role: row.role ?? null,
  status: row.status,
});

export const itemUrl = (type: KnowledgeType, id: string | number): string => `/items/${type}/${id}`;

/** An item row, with the user types it is opened to for self-enrolment when the query joined them. */
export type ItemWithOpenTo = ItemRow & { open_to?: unknown };

/** `open_to` as a list of user types: a JSON array, a Postgres array literal, or absent. */
export function openToOf(value: unknown): UserType[] {
  let list: unknown = value;
  if (typeof value === 'string') list = value.startsWith('[') ? JSON.parse(value) : value.replace(/^\{|\}$/g, '').split(',');
  return Array.isArray(list) ? USER_TYPES.filter((t) => (list as unknown[]).includes(t)) : [];
}

export const toKnowledgeItem = (row: ItemWithOpenTo): KnowledgeItem => {
  const openTo = openToOf(row.open_to);
  return {
    ref: { type: row.type, id: String(row.id) },
    title: row.title,
    origin: row.origin,
    learnerUrl: itemUrl(row.type, row.id),
    // Present only for an item opened for self-enrolment (1.1), absent otherwise.
    ...(openTo.length > 0 && { selfEnrolment: { openTo } }),
  };
};

/** DB ids are positive integers; anything else can match nothing. */
export function parseId(id: string): number | null {
  if (!/^\d{1,9}$/.test(id)) return null;
  const n = Number(id);
  return n >= 1 ? n : null;
}

export const isAdmin = (user: HostUser | null | undefined): boolean =>
  !!user && user.status === 'active' && (user.role === 'super_admin' || user.role === 'standard_admin');
