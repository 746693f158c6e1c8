// The header reader `decideFor` takes, for node's header objects (node:http, Express, Fastify and
// the proxy): one request header when sent once. A header sent twice arrives as an array (or
// joined, for list headers), which the policy must not read as a single value.

/** One request header from node's header object, or undefined when absent or repeated. */
export function nodeHeader(
  req: { readonly headers: Readonly<Record<string, string | string[] | undefined>> },
  name: string,
): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}
