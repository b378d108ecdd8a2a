import type { HostPorts } from '../adapters/host/host-ports.js';
import { ContainerModule } from 'inversify';
import { TYPES } from '../types.js';
import type { SettingsRepository } from '../domain/ports/settings-repository.port.js';
import type { PermissionsPort } from '../domain/ports/permissions.port.js';
import { PublicLookQuery } from '../application/branding/public-look.query.js';
import { CurrentBrandingQuery } from '../application/branding/current-branding.query.js';
import { SaveBranding } from '../application/branding/save-branding.use-case.js';
import { PUBLIC_CACHE_MS, type ChangeSignal } from '../application/shared/read-cache.js';
import type { RouteContribution } from '../adapters/http/shared/route-contribution.js';
import type { SettingsPanel } from '../adapters/http/shared/settings-panel.js';
import { BrandingForm } from '../adapters/http/panels/branding.form.js';
import { BrandingPanel } from '../adapters/http/panels/branding.panel.js';
import type { AuditRepository } from '../domain/ports/audit-repository.port.js';
import type { ClockPort } from '../domain/ports/clock.port.js';
import type { PortalFacts } from '../domain/ports/portal-facts.port.js';
import { HttpLogoProbe } from '../adapters/outbound/http-logo-probe.js';

/**
 * The registration page's branding: the public look every page is drawn with (cached, dropped by the
 * shared ChangeSignal), the admin's current branding and saving it, and the Registration page panel
 * with the form it owns.
 */
export const brandingModule = new ContainerModule(({ bind }) => {
  bind(PublicLookQuery)
    .toResolvedValue(
      (settings: SettingsRepository, host: HostPorts, signal: ChangeSignal) => new PublicLookQuery({ settings, portal: host.portal, signal, cacheMs: PUBLIC_CACHE_MS }),
      [TYPES.SettingsRepository, TYPES.HostPorts, TYPES.ChangeSignal],
    )
    .inSingletonScope();
  bind(CurrentBrandingQuery)
    .toResolvedValue(
      (permissions: PermissionsPort, settings: SettingsRepository, host: HostPorts) => new CurrentBrandingQuery(permissions, settings, host.portal),
      [TYPES.Permissions, TYPES.SettingsRepository, TYPES.HostPorts],
    )
    .inSingletonScope();
  bind(SaveBranding)
    .toResolvedValue(
      (permissions: PermissionsPort, settings: SettingsRepository, signal: ChangeSignal, audit: AuditRepository, clock: ClockPort, portal: PortalFacts) =>
        new SaveBranding(permissions, settings, signal, audit, clock, new HttpLogoProbe(portal)),
      [TYPES.Permissions, TYPES.SettingsRepository, TYPES.ChangeSignal, TYPES.AuditRepository, TYPES.Clock, TYPES.PortalFacts],
    )
    .inSingletonScope();
  // The three under one name, for the callers that still use it (the public pages).
  bind(TYPES.SaveBranding).toService(SaveBranding);
  bind(BrandingForm).toSelf().inSingletonScope();
  bind(BrandingPanel).toSelf().inSingletonScope();
  bind<SettingsPanel>(TYPES.SettingsPanel).toService(BrandingPanel);
  bind<RouteContribution>(TYPES.RouteContribution).toService(BrandingPanel);
});
