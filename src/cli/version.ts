// The version `--version` prints: the one in the package's own package.json, so that a release
// changes it in one place. Found by the package's name, which works from the sources (the
// workspace), from the built files and from an installed package alike.

import { createRequire } from 'node:module';

export function packageVersion(name: 'corsica' | 'corsica-proxy'): string {
  const load = createRequire(import.meta.url);
  return (load(`${name}/package.json`) as { version: string }).version;
}
