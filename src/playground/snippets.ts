// The code the playground shows for the current policy: corsica, cors/Express, Fastify, Hono and
// nginx on the server, fetch on the client. It runs in the page, so it is kept as script text.

export const SNIPPETS_SCRIPT = `
function snippets(o, request, api) {
  const j = JSON.stringify(o);
  const list = (v) => (v === undefined ? undefined : Array.isArray(v) ? v : String(v).split(',').map((s) => s.trim()));
  const hono = { origin: o.origin, allowMethods: list(o.methods), allowHeaders: list(o.allowedHeaders), exposeHeaders: list(o.exposedHeaders), credentials: o.credentials, maxAge: o.maxAge };
  for (const k of Object.keys(hono)) if (hono[k] === undefined) delete hono[k];
  const origins = o.origin === undefined || o.origin === '*' ? ['*'] : Array.isArray(o.origin) ? o.origin : [o.origin];
  const nginx = [];
  if (origins.length === 1 && origins[0] === '*') nginx.push('add_header Access-Control-Allow-Origin "*" always;');
  else nginx.push('map $http_origin $cors_origin { default ""; ' + origins.map((x) => '"' + x + '" $http_origin;').join(' ') + ' }', 'add_header Access-Control-Allow-Origin $cors_origin always;', 'add_header Vary "Origin" always;');
  if (o.credentials) nginx.push('add_header Access-Control-Allow-Credentials "true" always;');
  if (o.exposedHeaders) nginx.push('add_header Access-Control-Expose-Headers "' + list(o.exposedHeaders).join(', ') + '" always;');
  nginx.push('if ($request_method = OPTIONS) {', '  add_header Access-Control-Allow-Origin $cors_origin;', '  add_header Access-Control-Allow-Methods "' + (list(o.methods) || ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE']).join(', ') + '";');
  if (o.allowedHeaders) nginx.push('  add_header Access-Control-Allow-Headers "' + list(o.allowedHeaders).join(', ') + '";');
  if (o.maxAge !== undefined) nginx.push('  add_header Access-Control-Max-Age "' + o.maxAge + '";');
  nginx.push('  return 204;', '}');
  const init = { method: request.method };
  if (request.headers.length) init.headers = Object.fromEntries(request.headers);
  if (request.credentials) init.credentials = 'include';
  if (request.body !== null) init.body = request.body;
  return [
    '// corsica (Express, Connect, node:http)', "import cors from 'corsica/node';", 'app.use(cors(' + j + '));', '',
    '// cors + Express (the same options; corsica refuses the ones that cannot work)', "import cors from 'cors';", 'app.use(cors(' + j + '));', '',
    '// Fastify', "await fastify.register(import('@fastify/cors'), " + j + ');', '',
    '// Hono', "import { cors } from 'hono/cors';", "app.use('*', cors(" + JSON.stringify(hono) + '));', '',
    '# nginx', ...nginx, '',
    '// the page', 'await fetch(' + JSON.stringify(request.target || api + '/items') + ', ' + JSON.stringify(init) + ');',
  ].join('\\n');
}
`;
