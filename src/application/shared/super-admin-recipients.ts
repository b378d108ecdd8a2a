import { normaliseEmail } from '../../domain/shared/user.js';
import type { UsersPort } from '../../domain/ports/users.port.js';

/**
 * Who hears about portal-wide trouble (no seats left, a webhook endpoint disabled): every active
 * Super admin the host lists through the optional `users.listAdmins('super_admin')`, else the
 * portal's primary admin. Read before a transaction: a transaction must only ever wait on itself.
 */
export async function superAdminRecipients(users: UsersPort, primaryAdminEmail: string): Promise<string[]> {
  const admins = users.listAdmins ? await users.listAdmins('super_admin') : [];
  const emails = admins.filter((u) => u.status === 'active' && u.role === 'super_admin').map((u) => normaliseEmail(u.email));
  const unique = [...new Set(emails)].filter((e) => e !== '');
  return unique.length > 0 ? unique : [normaliseEmail(primaryAdminEmail)];
}
