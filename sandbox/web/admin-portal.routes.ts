/* The admin's portal settings page (/admin/portal): portal facts, seats, and the plugin's portal.settings panels. */
import { Router } from 'express';
import { seatState } from '../host/seats.port.js';
import type { WebContext } from './web-context.js';

export function adminPortalRoutes(web: WebContext): Router {
  const { host, hostContext, panels, render, requireAdmin, currentUser } = web;
  const router = Router();

  router.get('/admin/portal', requireAdmin, async (req, res) => {
    const info = await host.portal.info();
    const { used, limit } = await seatState(hostContext);
    const rendered = await panels.render('portal.settings', { req, user: currentUser(req)! });
    await render(req, res, 'admin-portal', { title: 'Portal settings', info, seatLimit: limit, seatsUsed: used, panels: rendered, canManagePortal: currentUser(req)!.role === 'super_admin' });
  });

  return router;
}
