// The Public Suffix List lookups: a suffix at a pattern's base, or under it. The names with
// suffixes under them are data generated from tldts (scripts/public-suffix-parents.ts); this file
// holds that data to the installed tldts, so an update of the list cannot leave it behind.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parentsModule } from '../../scripts/public-suffix-parents.js';
import { isIcannRegistrable, isPublicSuffix, publicSuffixAtOrBelow } from '../../src/syntax/public-suffix.js';

describe('syntax: public suffixes at or below a name', () => {
  it('src/syntax/public-suffix-parents.ts is what the installed tldts gives (regenerate it with the script when this fails)', () => {
    assert.equal(
      readFileSync('src/syntax/public-suffix-parents.ts', 'utf8'),
      parentsModule(),
      'run: node --import tsx scripts/public-suffix-parents.ts > src/syntax/public-suffix-parents.ts',
    );
  });

  it('names the suffix itself, the shortest one under the name, or none', () => {
    assert.equal(publicSuffixAtOrBelow('github.io'), 'github.io');
    assert.equal(publicSuffixAtOrBelow('com'), 'com');
    assert.equal(publicSuffixAtOrBelow('amazonaws.com'), 's3.amazonaws.com');
    assert.equal(publicSuffixAtOrBelow('windows.net'), 'servicebus.windows.net');
    assert.equal(publicSuffixAtOrBelow('example.com'), null);
    assert.equal(publicSuffixAtOrBelow('my-org.github.io'), null);
    assert.equal(publicSuffixAtOrBelow('localhost'), null);
    // An exception rule (!city.kawasaki.jp) makes a registrable name under a wildcard.
    assert.equal(isPublicSuffix('city.kawasaki.jp'), false);
    assert.equal(publicSuffixAtOrBelow('city.kawasaki.jp'), null);
  });
});

describe('syntax: names the public internet can reach', () => {
  it('a name under an ICANN suffix with a label of its own; not a suffix, a private TLD or a single label', () => {
    assert.equal(isIcannRegistrable('api.example.com'), true);
    assert.equal(isIcannRegistrable('shop.example.co.uk'), true);
    assert.equal(isIcannRegistrable('com'), false);
    assert.equal(isIcannRegistrable('co.uk'), false);
    assert.equal(isIcannRegistrable('intranet.corp'), false);
    assert.equal(isIcannRegistrable('printer.local'), false);
    assert.equal(isIcannRegistrable('nas'), false);
  });

  it('replaces a list that an older copy of corsica registered without parse, instead of failing on it', () => {
    // In a process of its own: this module keeps the list it loaded.
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `globalThis[Symbol.for('corsica.publicSuffixList')] = { getPublicSuffix: () => null, SUFFIX_PARENTS: '' };
const m = await import(${JSON.stringify(new URL('../../src/syntax/public-suffix.ts', import.meta.url).href)});
console.log(JSON.stringify([m.isIcannRegistrable('api.example.com'), m.isPublicSuffix('github.io')]));`,
      ],
      { encoding: 'utf8' },
    );
    assert.deepEqual(JSON.parse(out), [true, true]);
  });
});
