import type { Routes } from '../../../manifest/routes.js';

/** The absolute deep link of a code: the public base URL and the manifest's `register.deepLink` path. */
export function deepLink(routes: Routes, publicBaseUrl: string, code: string | undefined): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${routes.path('register', 'deepLink', { code: code ?? '' })}`;
}
