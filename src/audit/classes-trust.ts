// The exploitable classes of audit's closed table (codes.ts): which origins the server trusts
// that it should not. The rules that find them are in trust-rules.ts.

import type { FindingInfo } from './codes.js';

export const TRUST_CLASSES = {
  'reflected-any-origin-with-credentials': {
    severity: 'exploitable',
    pitfall: 1,
    when: 'any origin, even one unrelated to the site, is echoed in `Access-Control-Allow-Origin` with `Access-Control-Allow-Credentials: true`',
    impact:
      "any web page a logged-in user visits reads this API's answers with the user's cookies: account data, CSRF tokens, anything",
  },
  'null-origin-trusted': {
    severity: 'exploitable',
    when: 'the origin `null` is allowed (`Access-Control-Allow-Origin: null`)',
    impact:
      'any site can send `Origin: null` from a sandboxed iframe (`<iframe sandbox="allow-scripts">`), a data: URL or a file, and read the answers',
  },
  'prefix-match': {
    severity: 'exploitable',
    when: 'an origin that merely starts with the site’s (`https://www.example.com.attacker.net`) is allowed: `startsWith`, or a RegExp without `$`',
    impact:
      'the attacker registers a domain that begins with the site’s name (www.example.com.attacker.net is any domain’s subdomain) and reads the answers from a page there',
  },
  'suffix-match': {
    severity: 'exploitable',
    when: 'an origin that merely ends with the site’s domain (`https://attackerexample.com`) is allowed: `endsWith` without a dot, or `/example\\.com$/`',
    impact: 'the attacker registers attackerexample.com and reads the answers from a page there',
  },
  'substring-match': {
    severity: 'exploitable',
    when: 'an origin that is a piece of the site’s (`https://www.example.co`, `https://xample.com`) is allowed: `allowed.includes(origin)` or `indexOf`',
    impact:
      'the attacker registers a truncated name (example.co, xample.com) and reads the answers from a page there',
  },
  'unescaped-dot': {
    severity: 'exploitable',
    when: 'an origin with a letter where the site’s host has a dot (`https://wwwxexample.com`) is allowed: a RegExp written `www.example.com`',
    impact: 'the attacker registers wwwxexample.com and reads the answers from a page there',
  },
  'unanchored-regexp': {
    severity: 'exploitable',
    when: 'an origin that contains the site’s host anywhere (`https://attackerexample.com.attacker.net`) is allowed: a RegExp without `^` and `$`, or `origin.includes(...)`',
    impact: 'the attacker puts the site’s name inside a domain of their own and reads the answers from it',
  },
  'special-characters': {
    severity: 'exploitable',
    when: 'an origin with a character browsers accept in hosts after the site’s host (`https://example.com_.attacker.net`; Safari also sends `` ` ``, `}`, `{`...) is allowed',
    impact:
      'a check that assumes the host ends at the first character outside [a-z0-9.-] lets the attacker’s domain through; the attacker’s page reads the answers',
  },
  'any-subdomain-with-credentials': {
    severity: 'exploitable',
    when: 'a subdomain nobody declared (`https://corsicaprobe.example.com`) is allowed with credentials',
    impact:
      'one cross-site scripting flaw or one dangling DNS record (subdomain takeover) on any subdomain lets an attacker read every user’s data here',
  },
  'http-origin-trusted': {
    severity: 'exploitable',
    when: 'the `http:` origin of an `https:` site (`http://example.com`) is allowed',
    impact:
      'anyone on the user’s network (public Wi-Fi) injects a script into the plain-http page and reads the https answers through it',
  },
  'third-party-hosting-trusted': {
    severity: 'exploitable',
    pitfall: 1,
    when: 'an origin where anyone can publish pages (`https://corsicaprobe.github.io`, `https://codepen.io`, a Public Suffix List private domain) is allowed',
    impact: 'the attacker publishes a page there for free and reads the answers from it',
  },
  'localhost-trusted-with-credentials': {
    severity: 'exploitable',
    when: 'a development origin on the user’s own machine (`http://localhost:3000`, `http://127.0.0.1:8080`, any port of `http://localhost:*`) is allowed with credentials by a site that is not itself on localhost',
    impact:
      'any program on the user’s machine that serves a page on that port (another dev server, a local tool, a package’s install script) reads this API’s answers with the user’s cookies',
  },
  'private-network-access-granted': {
    severity: 'exploitable',
    when: 'a Private Network Access preflight (`Access-Control-Request-Private-Network: true`) from an unrelated public origin passes and gets `Access-Control-Allow-Private-Network: true`',
    impact:
      'the server tells browsers that any public website may reach it from inside the user’s network (an intranet API, a router, a printer): where Private Network Access is enforced that header is the only gate, so any page reads what only the network could (Chromium now asks the user instead, Local Network Access: one click on Allow gives the same)',
  },
  'intranet-open-to-any-origin': {
    severity: 'exploitable',
    when: 'an API on a private address (RFC 1918, loopback, link-local, IPv6 unique local) or declared with `--intranet` answers `*` or echoes any origin',
    impact:
      'the network is its credential: any page a user inside the network opens (an ad, a link in a mail) reads the answers from the user’s browser, although nobody outside can reach the API',
  },
  'preflight-reflects-any': {
    severity: 'exploitable',
    when: 'preflights echo any origin, method and header, while the actual answers to that origin carry no CORS grant',
    impact:
      'the browser believes the preflight and sends any site’s PUT, DELETE or JSON POST with the user’s cookies: cross-site request forgery on every state-changing route, although the attacker cannot read the answer',
  },
} as const satisfies Record<string, FindingInfo>;
