import * as path from 'node:path';

/** The project root (this file is test/e2e/support/paths.ts). */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
/** Scratch space for the e2e suites (git-ignored): code-server install, per-run dirs, browser HOME. */
export const E2E_DIR = path.join(PROJECT_ROOT, '.e2e');
export const FIXTURES_DIR = path.resolve(__dirname, '..', 'fixtures');
/**
 * The ruleset both editors open: libvirt's default NAT setup with exactly one mistake, the FORWARD
 * rule's jump to LIBVIRT_FWI, a chain the file never declares (undefined-chain). It has no comment
 * saying so because the VS Code run photographs it for the README.
 */
export const FIXTURE_RULESET = path.join(FIXTURES_DIR, 'workspace', 'rules.v4');
export const SERVER_BUNDLE = path.join(PROJECT_ROOT, 'dist', 'server.js');
export const EXTENSION_BUNDLE = path.join(PROJECT_ROOT, 'dist', 'extension.js');
/** Where the README's screenshots live; refreshed by a passing VS Code e2e run. */
export const README_IMAGES_DIR = path.join(PROJECT_ROOT, 'docs', 'images');
