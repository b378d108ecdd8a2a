/* What passport adds to a request (typed here so the host does not depend on its globals). */
import type { Request } from 'express';

export type PassportRequest = Request & {
  user?: unknown;
  isAuthenticated?: () => boolean;
  login(user: unknown, done: (error: unknown) => void): void;
};
