/* What the admin notification emails are rendered from: plain JSON in the outbox. */

/** Where a notification links: the host's report of the item, or the item itself. */
export interface ReportLink {
  /** A same-origin path or an absolute URL; the mail renderer keeps it only under the public base URL. */
  readonly url: string | null;
  readonly kind: 'report' | 'item';
}

/** What an `admin-notification` email is rendered from. */
export interface AdminNotificationData {
  readonly itemTitle: string;
  readonly itemType: string;
  readonly registrant: { readonly firstName: string; readonly lastName: string; readonly email: string };
  readonly newUser: boolean;
  readonly tokenNickname: string | null;
  /** ISO 8601; shown in the portal's time zone. */
  readonly at: string;
  readonly reportUrl: string | null;
  readonly reportKind: 'report' | 'item';
}

/** What an `admin-digest` email is rendered from. */
export interface AdminDigestData {
  readonly itemTitle: string;
  readonly itemType: string;
  /** The local day, YYYY-MM-DD, in the time zone below. */
  readonly day: string;
  readonly timeZone: string;
  readonly part: number;
  readonly entries: readonly {
    readonly firstName: string;
    readonly lastName: string;
    readonly email: string;
    readonly newUser: boolean;
    readonly tokenNickname: string | null;
    readonly at: string;
  }[];
  readonly reportUrl: string | null;
  readonly reportKind: 'report' | 'item';
}
