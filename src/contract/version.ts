/** Semver of the host contract this plugin was written against; a host declares the one it implements. */
export const HOST_API_VERSION = '1.1.0';
