// Rules that depend on where the API lives: a Private Network Access grant to any public origin,
// and, for an API reachable only inside a network, `*` or any origin echoed, which elsewhere is
// information (nothing more than curl sees) and here lets every page a user on that network
// opens read what only the network may.

import { type ByKind, finding, type RuleFinding } from './finding.js';
import { answerHeader, grantsPrivateNetwork } from './judge.js';

/** Where the API lives, as the rules need it. */
export interface Network {
  /** Why the API counts as reachable only inside a network (its address, or --intranet), or null. */
  readonly intranet: string | null;
}

/** The PNA preflight from an unrelated public origin passes, with Access-Control-Allow-Private-Network: true. */
export function privateNetworkFindings(byKind: ByKind, url: string): RuleFinding[] {
  const r = byKind('private-network-preflight').find((p) => grantsPrivateNetwork(p, url));
  if (r === undefined) return [];
  const allowed = answerHeader(r, 'access-control-allow-origin');
  return [
    finding(
      'private-network-access-granted',
      r,
      `the Private Network Access preflight from ${r.origin} got Access-Control-Allow-Origin: ${allowed} and Access-Control-Allow-Private-Network: true: a public page may reach this server inside the user’s network`,
    ),
  ];
}

/** On an intranet API, `*` or any origin echoed without credentials becomes exploitable, saying why. */
export function ratedForNetwork(findings: readonly RuleFinding[], network: Network): RuleFinding[] {
  if (network.intranet === null) return [...findings];
  return findings.map((f) =>
    f.class === 'public-wildcard' || f.class === 'reflected-any-origin'
      ? finding(
          'intranet-open-to-any-origin',
          f.proof,
          `${f.message}, and ${network.intranet}: the network is this API's credential, and every page a user inside it opens reads the answers`,
          f.also,
        )
      : f,
  );
}
