/** kvmnet's version, from package.json (scripts/build.mjs defines KVMNET_VERSION); "0.0.0-dev" when run from source. */
declare const KVMNET_VERSION: string | undefined;
export const VERSION = typeof KVMNET_VERSION === 'string' ? KVMNET_VERSION : '0.0.0-dev';
