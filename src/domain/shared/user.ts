export const USER_TYPES = ['staff', 'client', 'prospect'] as const;
/** Prospect is the type this plugin contributes: people who came in through a token. */
export type UserType = (typeof USER_TYPES)[number];
export const PROSPECT: UserType = 'prospect';

export type AdminRole = 'super_admin' | 'standard_admin';
export type UserStatus = 'active' | 'suspended';

export interface HostUser {
  readonly id: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly type: UserType;
  /** Null for learners without an admin role. */
  readonly role: AdminRole | null;
  readonly status: UserStatus;
}

export interface NewUser {
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly type: UserType;
}

/** Emails compare case-insensitively and without surrounding space. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();
