/** How the organisation styles its public registration page and its emails. Validated before it is stored. */
export interface Branding {
  readonly logoUrl: string | null;
  /** #rrggbb */
  readonly primaryColour: string;
  /** #rrggbb */
  readonly accentColour: string;
  readonly heading: string | null;
  /** Plain text; line breaks are kept. */
  readonly introduction: string | null;
  readonly termsUrl: string | null;
  readonly privacyUrl: string | null;
  /** Shown after registering, instead of the default "check your inbox" text. */
  readonly successMessage: string | null;
}

export const DEFAULT_BRANDING: Branding = {
  logoUrl: null,
  primaryColour: '#1f5fbf',
  accentColour: '#ffbf47',
  heading: null,
  introduction: null,
  termsUrl: null,
  privacyUrl: null,
  successMessage: null,
};
