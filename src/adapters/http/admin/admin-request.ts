import type { Request, Response } from 'express';
import type { HostUser } from '../../../domain/shared/user.js';
import { safeLocalPath } from '../shared/validation.js';

/** Token ids as the routes accept them. */
export const ID_RE = /^\d{1,18}$/;

export type Body = Record<string, unknown>;
export const bodyOf = (req: Request): Body => (req.body ?? {}) as Body;

/** The admin the gate let through (see AdminGate). */
export const userOf = (res: Response): HostUser => res.locals.selfregUser as HostUser;

/** Where a form returns to: its same-origin `returnTo`, else `fallback`. */
export const backOf = (req: Request, fallback: string): string => safeLocalPath(bodyOf(req).returnTo, fallback);

/** The anchor of a token's row in a panel, when the id is one. */
export const tokenAnchor = (id: string): string | undefined => (ID_RE.test(id) ? `selfreg-token-${id}` : undefined);
