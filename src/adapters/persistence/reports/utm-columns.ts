import { UTM_KEYS, type Attribution } from '../../../domain/reports/attribution.js';

/** The utm_* columns of a row (registrations), each null when not given. */
export function utmColumns(a: Attribution | null | undefined): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const k of UTM_KEYS) out[k] = a?.[k] ?? null;
  return out;
}
