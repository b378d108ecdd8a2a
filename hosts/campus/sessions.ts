/*
 * Campus's hand-rolled sessions: a random 32-byte token in the `campus_session` cookie (HttpOnly,
 * SameSite=Lax, Secure behind https), only its SHA-256 digest in campus_sessions. Signing in always
 * deletes the visitor's old session and starts a new one with a new token and a new id; the session
 * key the plugin sees is that id, never the token.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';

const COOKIE = 'campus_session';
const LIFETIME_MS = 8 * 60 * 60 * 1000;

export interface CampusSession {
  readonly id: string;
  readonly personId: string | null;
}

type WithSession = Request & { campusSession?: CampusSession };

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export const sessionOf = (req: Request): CampusSession | null => (req as WithSession).campusSession ?? null;

export class SessionTable {
  constructor(private readonly knex: Knex, private readonly secure: boolean) {}

  /** Reads the cookie's session (if it exists and has not expired) onto the request. */
  readonly middleware: RequestHandler = (req, _res, next) => {
    const token = /(?:^|;\s*)campus_session=([A-Za-z0-9_-]{43})(?:;|$)/.exec(req.headers.cookie ?? '')?.[1];
    if (!token) return next();
    this.knex('campus_sessions').where({ token_digest: digest(token) }).andWhere('expires_at', '>', new Date()).first('id', 'person_id')
      .then((row: { id: string; person_id: string | null } | undefined) => {
        if (row) (req as WithSession).campusSession = { id: row.id, personId: row.person_id };
        next();
      }, next);
  };

  /** A new session for the person: the old one is deleted, the cookie replaced. */
  async start(req: Request, res: Response, personId: string): Promise<CampusSession> {
    await this.end(req, res);
    const token = randomBytes(32).toString('base64url');
    const session = { id: randomUUID(), personId };
    await this.knex('campus_sessions').insert({ id: session.id, token_digest: digest(token), person_id: personId, expires_at: new Date(Date.now() + LIFETIME_MS) });
    res.cookie(COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/', maxAge: LIFETIME_MS });
    (req as WithSession).campusSession = session;
    return session;
  }

  async end(req: Request, res: Response): Promise<void> {
    const current = sessionOf(req);
    if (current) await this.knex('campus_sessions').where({ id: current.id }).delete().returning('id');
    (req as WithSession).campusSession = undefined;
    res.clearCookie(COOKIE, { path: '/' });
  }
}
