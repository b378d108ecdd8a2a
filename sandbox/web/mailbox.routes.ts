/* The development mailbox: /mailbox lists what the plugin sent without SMTP_URL, /mailbox/<id> shows one message. */
import { Router } from 'express';
import { parseId } from '../host/records.js';
import { linkify } from './linkify.js';
import type { WebContext } from './web-context.js';

export function mailboxRoutes(web: WebContext): Router {
  const { knex, render, errorPage } = web;
  const router = Router();

  router.get('/mailbox', async (req, res) => {
    const messages = await knex('sandbox_mailbox').orderBy('id', 'desc').limit(200).select('id', 'from', 'to', 'subject', 'created_at');
    await render(req, res, 'mailbox', { title: 'Mailbox', messages });
  });

  router.get('/mailbox/:id', async (req, res) => {
    const id = parseId(String(req.params.id));
    const message = id === null ? null : await knex('sandbox_mailbox').where({ id }).first();
    if (!message) return errorPage(req, res, 404, 'Not found', 'There is no such message.');
    const textParts = message.text ? linkify(String(message.text)) : [];
    // Links in the HTML part open in a new tab; the frame runs no scripts.
    let srcdoc: string | null = null;
    if (message.html) {
      const html = String(message.html);
      const doctype = /^\s*<!doctype[^>]*>/i.exec(html)?.[0] ?? '';
      srcdoc = `${doctype}<base target="_blank">${html.slice(doctype.length)}`;
    }
    await render(req, res, 'mailbox-message', { title: String(message.subject), message, textParts, srcdoc });
  });

  return router;
}
