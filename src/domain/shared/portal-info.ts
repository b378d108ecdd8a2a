export interface PortalInfo {
  readonly name: string;
  readonly primaryAdminEmail: string;
  /** Absolute base URL every emailed link is built from (never the request's Host header). */
  readonly publicBaseUrl: string;
  /** IANA time zone, e.g. `Europe/London`. */
  readonly timeZone: string;
}
