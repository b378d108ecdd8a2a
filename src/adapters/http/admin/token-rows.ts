import { inject, injectable } from 'inversify';
import { expiryDateInZone } from '../../../domain/tokens/expiry.js';
import type { TokenView } from '../../../application/tokens/token-view.js';
import { messages } from '../shared/messages.js';
import { AdminPaths } from './admin-paths.js';
import { formatDate, formatDateTime, formatExpiryDay } from './portal-time-format.js';

/** A token as the panels and the Tokens page print it: every string ready, nothing to compute in EJS. */
export interface TokenRowView {
  readonly id: string;
  readonly nickname: string | null;
  readonly label: string;
  readonly code: string;
  readonly custom: boolean;
  readonly status: string;
  readonly statusLabel: string;
  readonly statusHelp: string;
  readonly enabled: boolean;
  readonly uses: string;
  /** The token's registrations report, where its use count leads. */
  readonly usesUrl: string;
  readonly expires: string;
  readonly expiresOn: string;
  readonly maxUses: string;
  readonly lastUsed: string;
  readonly lastUsedIso: string | null;
  readonly created: string;
  readonly createdIso: string;
  /** A disabled draft copied from the token of the item this one was cloned from. */
  readonly copied: boolean;
  readonly deepLink: string;
  readonly qrPng: string;
  readonly qrSvg: string;
  readonly toggleAction: string;
  readonly editAction: string;
  readonly deleteUrl: string;
}

/** Prints tokens as rows, in the portal's time zone, with their links and form actions. */
@injectable()
export class TokenRows {
  constructor(@inject(AdminPaths) private readonly paths: AdminPaths) {}

  row(t: TokenView, publicBaseUrl: string, timeZone: string, returnTo: string): TokenRowView {
    const ta = messages.tokenAdmin;
    const base = this.paths.token(t.id);
    return {
      id: t.id,
      nickname: t.nickname,
      label: t.nickname ?? t.code ?? '',
      code: t.code ?? '',
      custom: t.custom,
      status: t.status,
      statusLabel: ta.status[t.status],
      statusHelp: ta.statusHelp[t.status],
      enabled: t.enabled,
      uses: ta.usesOf(t.uses, t.maxUses),
      usesUrl: this.paths.registrationsOfToken(t.id),
      expires: t.expiresAt ? ta.expiresEnd(formatExpiryDay(t.expiresAt, timeZone)) : ta.never,
      expiresOn: t.expiresAt ? expiryDateInZone(t.expiresAt, timeZone) : '',
      maxUses: t.maxUses === null ? '' : String(t.maxUses),
      lastUsed: t.lastUsedAt ? formatDateTime(t.lastUsedAt, timeZone) : ta.never,
      lastUsedIso: t.lastUsedAt ? t.lastUsedAt.toISOString() : null,
      created: t.copiedFrom && !t.createdByName ? ta.copiedOn(formatDate(t.createdAt, timeZone)) : ta.createdBy(formatDate(t.createdAt, timeZone), t.createdByName),
      copied: !!t.copiedFrom,
      createdIso: t.createdAt.toISOString(),
      deepLink: this.paths.deepLink(publicBaseUrl, t.code),
      qrPng: `${base}/qr.png`,
      qrSvg: `${base}/qr.svg`,
      toggleAction: `${base}/${t.enabled ? 'disable' : 'enable'}`,
      editAction: base,
      deleteUrl: `${base}/delete?returnTo=${encodeURIComponent(returnTo)}`,
    };
  }
}
