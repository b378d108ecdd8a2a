/* The credentials port: passwords under the sandbox's policy, and sign-in through passport (recorded as a sign-in). */
import type { Request, Response } from 'express';
import type { CredentialsPort } from '../../src/contract/index.js';
import { checkPasswordPolicy, hashPassword } from '../passwords.js';
import type { HostContext } from './host-context.js';
import type { SandboxLearning } from './learning.js';
import { findUser } from './lookups.js';
import type { PassportRequest } from './passport-request.js';
import { parseId } from './records.js';

export function createCredentialsPort(ctx: HostContext, learning: Pick<SandboxLearning, 'signedIn'>): CredentialsPort {
  return {
    async setPassword(userId, password, tx) {
      if (typeof password !== 'string') return { ok: false, message: 'Enter a password.' };
      const policy = checkPasswordPolicy(password);
      if (!policy.ok) return policy;
      const n = parseId(userId);
      if (n === null) return { ok: false, message: 'This account no longer exists.' };
      const hash = await hashPassword(password);
      const updated = await ctx.db(tx)('sandbox_users').where({ id: n }).update({ password_hash: hash });
      if (updated === 0) return { ok: false, message: 'This account no longer exists.' };
      return { ok: true };
    },
    /** Call after the transaction that created the user has committed (it reads outside it). */
    async signIn(req: Request, _res: Response, userId: string) {
      const user = await findUser(ctx, userId);
      if (!user) throw new Error('Cannot sign in: no such user');
      if (user.status !== 'active') throw new Error('Cannot sign in: the account is suspended');
      await new Promise<void>((resolve, reject) => (req as PassportRequest).login(user, (error: unknown) => (error ? reject(error) : resolve())));
      await new Promise<void>((resolve, reject) => req.session.save((error: unknown) => (error ? reject(error) : resolve())));
      await learning.signedIn(user.id, 'link');
    },
  };
}
