/*
 * What an email may take from the organisation's branding. Branding is validated when it is saved;
 * this checks again, because an email is the wrong place to find out a stored value was bad: a colour
 * that is not #rrggbb falls back to the default, and a logo is shown only from an absolute http(s) URL
 * (never javascript:, data: or anything else). A logo stored as a path on the portal's own site
 * (`/images/logo.png`) is made absolute with the configured public base URL, path prefix kept — never
 * with a request's Host: a mail client has no page to resolve it against.
 */
import type { Branding } from './branding-settings.js';
import { DEFAULT_BRANDING } from './branding-settings.js';
import { SITE_PATH } from './branding.js';
import { betterTextColour } from '../shared/colour.js';
import { hasUnsafeUrlCharacters } from '../shared/urls.js';

export interface EmailBranding {
  /** Buttons and the header band. */
  readonly primary: string;
  /** Text on the primary colour: white or near-black, whichever reads better. */
  readonly onPrimary: string;
  /** A thin accent rule and highlights. */
  readonly accent: string;
  readonly logoUrl: string | null;
}

const HEX = /^#[0-9a-fA-F]{6}$/;
const DARK_TEXT = '#1d2733';
const LIGHT_TEXT = '#ffffff';

export const isHexColour = (value: unknown): value is string => typeof value === 'string' && HEX.test(value);

/** An absolute http(s) URL without credentials, or null. */
export function safeImageUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return null;
  if (hasUnsafeUrlCharacters(value)) return null;
  const m = /^(https?):\/\/([^/?#]+)(.*)$/i.exec(value);
  if (!m) return null;
  const authority = m[2]!;
  if (authority.includes('@') || !/^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/.test(authority)) return null;
  return value;
}

/**
 * The logo's address for an email: an absolute http(s) URL as is; a site path joined to the public
 * base URL (its path prefix kept, any query or fragment of the base dropped); anything else null.
 */
export function emailImageUrl(value: unknown, publicBaseUrl?: string | null): string | null {
  if (typeof value !== 'string') return null;
  if (!value.startsWith('/')) return safeImageUrl(value);
  if (!SITE_PATH.test(value) || typeof publicBaseUrl !== 'string') return null;
  const base = safeImageUrl(publicBaseUrl.replace(/[?#].*$/s, '').replace(/\/+$/, ''));
  return base ? safeImageUrl(base + value) : null;
}

/** White or dark text, whichever contrasts more with `background`. */
export const textOn = (background: string): string => betterTextColour(background, LIGHT_TEXT, DARK_TEXT);

/** `publicBaseUrl`: the portal's configured public base URL, for a logo given as a site path. */
export function emailBranding(branding: Partial<Branding> | null | undefined, publicBaseUrl?: string | null): EmailBranding {
  const primary = isHexColour(branding?.primaryColour) ? branding!.primaryColour.toLowerCase() : DEFAULT_BRANDING.primaryColour;
  const accent = isHexColour(branding?.accentColour) ? branding!.accentColour.toLowerCase() : DEFAULT_BRANDING.accentColour;
  return { primary, onPrimary: textOn(primary), accent, logoUrl: emailImageUrl(branding?.logoUrl, publicBaseUrl) };
}
