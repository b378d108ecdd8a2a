import type { PortalPort } from '../../domain/ports/portal.port.js';
import type { SettingsRepository } from '../../domain/ports/settings-repository.port.js';
import { ReadCache, type CacheSettings } from '../shared/read-cache.js';

export interface PublicConfig {
  readonly portalEnabled: boolean;
  readonly publicBaseUrl: string;
}

/** The portal's self-registration switch and its public base URL, read outside any transaction (cached briefly). */
export class PublicConfigReader {
  private readonly cache: ReadCache<'config', PublicConfig>;

  constructor(
    private readonly settings: SettingsRepository,
    private readonly portal: PortalPort,
    caching: CacheSettings,
  ) {
    this.cache = new ReadCache(caching.signal, caching.cacheMs, caching.millis, 1);
  }

  read(): Promise<PublicConfig> {
    return this.cache.get('config', async () => {
      const [portalEnabled, portal] = await Promise.all([this.settings.portalEnabled(), this.portal.info()]);
      return { portalEnabled, publicBaseUrl: portal.publicBaseUrl };
    });
  }
}
