import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Finds the package's `docs/rules` folder next to the bundle (dist/server.js -> ../docs/rules) and
 * returns a function giving each rule's page as a file URL (undefined when the docs are absent).
 */
export function makeDocUrl(start: string): (id: string) => string | undefined {
  let dir = start;
  let docs: string | undefined;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'docs', 'rules');
    if (existsSync(candidate)) {
      docs = candidate;
      break;
    }
    dir = dirname(dir);
  }
  return (id) => (docs ? pathToFileURL(join(docs, `${id}.md`)).href : undefined);
}
