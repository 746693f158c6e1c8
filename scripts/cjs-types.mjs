// After tsup: the CommonJS declarations of the entries whose module.exports is a function (the
// build's footer makes `require('corsica/node')` the middleware factory itself, as `require('cors')`
// is). tsup writes them as an object with a `default`, so `import cors = require('corsica/node');
// cors()` did not compile. Each such X.d.cts becomes X-exports.d.cts, and a new X.d.cts says
// `export =` a callable that also carries every named export, with the types in a namespace.
import { renameSync, writeFileSync } from 'node:fs';
import ts from 'typescript';

const ENTRIES = ['node', 'fastify', 'koa', 'hono', 'fetch'];

for (const entry of ENTRIES) {
  const file = `dist/${entry}.d.cts`;
  const inner = `dist/${entry}-exports.d.cts`;
  renameSync(file, inner);
  const program = ts.createProgram([inner], { strict: true, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(inner);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const aliases = [];
  let hasDefault = false;
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const name = symbol.getName();
    if (name === 'default') {
      hasDefault = true;
      continue;
    }
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    // Values are reached as properties of the export; a class is a type too.
    if (target.flags & ts.SymbolFlags.Value && !(target.flags & ts.SymbolFlags.Class)) continue;
    // Type parameters as declared: their names resolve to the namespace's own aliases or to the
    // imports copied from the inner file.
    const params = target.declarations?.[0]?.typeParameters ?? [];
    const declared = params.map((p) => p.getText());
    const list = declared.length > 0 ? `<${declared.join(', ')}>` : '';
    const args = params.length > 0 ? `<${params.map((p) => p.name.getText()).join(', ')}>` : '';
    aliases.push(`  export type ${name}${list} = entry.${name}${args};`);
  }
  const imports = source.statements
    .filter((s) => ts.isImportDeclaration(s))
    .map((s) => s.getText(source))
    .join('\n');
  if (!hasDefault)
    throw new Error(`${inner} has no default export: it is not an entry module.exports replaces`);
  writeFileSync(
    file,
    `// module.exports is the default export, with every named export on it (see tsup.config.ts).
${imports}
import * as entry from './${entry}-exports.cjs';
declare const corsica: typeof entry.default & Omit<typeof entry, 'default'> & { readonly default: typeof entry.default };
declare namespace corsica {
${aliases.join('\n')}
}
export = corsica;
`,
  );
}
