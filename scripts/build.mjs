// Bundles the three entry points named in DESIGN.md §2 with esbuild.
import { build } from 'esbuild';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';

// The version `--version` prints (the CLI's and the server's), from package.json.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// 'module' first: jsonc-parser's 'main' is a UMD build whose require() calls esbuild cannot follow.
const common = { mainFields: ['module', 'main'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'warning', define: { KVMNET_VERSION: JSON.stringify(version) } };
await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);
chmodSync('dist/server.js', 0o755);
chmodSync('dist/cli.js', 0o755);

// The JSON schema VS Code checks `.kvmnet.json` against (package.json `jsonValidation`), made from
// the settings package.json declares, so the two cannot drift apart: the file holds the `kvmnet.*`
// settings without the prefix.
const settings = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).contributes.configuration.properties;
const { default: _default, ...rules } = settings['kvmnet.rules'];
const { default: _family, ...family } = settings['kvmnet.iptables.family'];
const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'kvmnet project settings (.kvmnet.json)',
  markdownDescription: 'Settings of kvmnet for the rulesets in this folder and the folders below it, read by the `kvmnet` command line and the editor. The editor\'s own `kvmnet.*` settings lie over them.',
  type: 'object',
  properties: {
    $schema: { type: 'string' },
    rules: { ...rules, additionalProperties: false },
    iptables: { type: 'object', properties: { family }, additionalProperties: false },
  },
  additionalProperties: false,
};
writeFileSync('dist/kvmnet-config.schema.json', JSON.stringify(schema, null, 2) + '\n');
