// Gallery servers (gallery.ts) on real nginx whose network is their credential: a Private
// Network Access grant to any origin, and `*` on an intranet API (a loopback address serving a
// site that is not public).

import { skipNginx } from '../helpers/nginx.js';
import { type Flawed, INTRANET_SITE, nginxServer } from './gallery-servers.js';

export const FLAWED_NETWORK: readonly Flawed[] = [
  // Found by a second, independent gallery: an intranet API on nginx answering * and a Private
  // Network Access grant to any origin was called public-wildcard (info).
  {
    name: 'nginx: an intranet API answering * and Access-Control-Allow-Private-Network: true to any origin',
    expected: 'private-network-access-granted',
    severity: 'exploitable',
    site: INTRANET_SITE,
    proof: 'https://corsica-attacker.net',
    skip: skipNginx,
    start: () =>
      nginxServer(
        [],
        [
          'add_header Access-Control-Allow-Origin * always;',
          'add_header Access-Control-Allow-Private-Network true always;',
          'if ($request_method = OPTIONS) {',
          '  add_header Access-Control-Allow-Origin *;',
          '  add_header Access-Control-Allow-Methods "GET, POST, PUT, DELETE";',
          '  add_header Access-Control-Allow-Headers "Content-Type";',
          '  add_header Access-Control-Allow-Private-Network true;',
          '  return 204;',
          '}',
        ],
      ),
  },
  {
    name: 'nginx: an intranet API (loopback address, intranet site) answering * to every origin',
    expected: 'intranet-open-to-any-origin',
    severity: 'exploitable',
    site: INTRANET_SITE,
    proof: INTRANET_SITE,
    skip: skipNginx,
    start: () => nginxServer([], ['add_header Access-Control-Allow-Origin * always;']),
  },
];
