/**
 * Whether a feature the manifest declares under `features` is on: a feature that needs a part of
 * host contract 1.1 the host does not offer stays off (src/manifest/features.ts decides at load).
 */
export interface FeaturesPort {
  enabled(feature: string): boolean;
}
