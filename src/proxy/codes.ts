// The proxy's own problem codes, a closed table like the policy's (src/policy/codes.ts): every
// problem in proxy options is reported at start-up, all at once, with one of these codes (or, for
// `allowOrigin`, the policy's own code for the origin).

export const PROXY_PROBLEM_CODES = {
  PROXY_NUMBER_INVALID: 'a number option (port, timeout, byte caps...) outside its range',
  PROXY_HOST_PATTERN_INVALID: 'an allowTarget, denyTarget or cookies entry that is not a host pattern',
  PROXY_PUBLIC_URL_INVALID: 'publicUrl is not an http(s) URL without query or fragment',
  PROXY_PRIVATE_TARGET_INVALID: 'an allowPrivateTarget entry that is not host[:port], [ipv6][:port] or CIDR',
  PROXY_RATE_LIMIT_INVALID: 'rateLimit is not `<n>/<window>` or `off`',
  PROXY_RATE_LIMIT_BY_ORIGIN_INVALID: 'rateLimitByOrigin is not `<n>/<window>` (it was once a boolean)',
  PROXY_RATE_LIMIT_OFF: 'redis or rateLimitByOrigin given while rateLimit is off',
  PROXY_REDIS_URL_INVALID: 'redis is not a redis:// or rediss:// URL',
  PROXY_HEADER_NAME_INVALID: 'a requireHeader entry that is not a header name',
  PROXY_CA_INVALID: 'an upstreamCa entry that is not a PEM certificate',
  PROXY_ORIGIN_INVALID: 'a denyOrigin entry that is not an origin as browsers send it',
  PROXY_BUFFER_TOO_SMALL: 'maxBufferedBytes is smaller than maxRequestBytes',
  PROXY_COOKIES_WITHOUT_ALLOW_ORIGIN:
    'cookies given while allowOrigin is any origin: credentialed answers need named origins',
} as const;

export type ProxyProblemCode = keyof typeof PROXY_PROBLEM_CODES;
