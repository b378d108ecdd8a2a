/* The access-control port: the signed-in user, the session key, and the sandbox's own page URLs. */
import type { Request } from 'express';
import type { AccessControlPort, HostUser, KnowledgeRef } from '../../src/contract/index.js';
import type { HostContext } from './host-context.js';
import { findUser } from './lookups.js';
import type { PassportRequest } from './passport-request.js';

export function createAccessPort(ctx: HostContext): AccessControlPort {
  return {
    async currentUser(req: Request) {
      const preq = req as PassportRequest;
      if (!preq.isAuthenticated?.()) return null;
      const id = (preq.user as HostUser | undefined)?.id;
      if (!id) return null;
      const user = await findUser(ctx, id);
      return user && user.status === 'active' ? user : null;
    },
    /**
     * `req.sessionID` whenever the session middleware ran. The store keeps sessions only once
     * something is written to them (saveUninitialized: false), so a signed-out visitor's key
     * is stable only after the plugin has stored something in `req.session` (e.g. its CSRF seed).
     */
    sessionKey(req: Request) {
      const withSession = req as Request & { session?: unknown; sessionID?: string };
      return withSession.session && withSession.sessionID ? withSession.sessionID : null;
    },
    signInUrl(returnTo: string) {
      return `/login?returnTo=${encodeURIComponent(returnTo)}`;
    },
    itemSettingsUrl(item: KnowledgeRef) {
      return `/admin/items/${encodeURIComponent(item.type)}/${encodeURIComponent(item.id)}/settings`;
    },
    portalSettingsUrl() {
      return '/admin/portal';
    },
  };
}
