import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ALL_OPTION_GROUPS, renderConfigurationDocs } from '../../../src/config/index.js';

// Compiled to dist/test/unit/config/, so the project root is four levels up.
const DOCS = fileURLToPath(new URL('../../../../docs/configuration.md', import.meta.url));

describe('docs/configuration.md', () => {
  it('is up to date with the option table', async () => {
    const checkedIn = await readFile(DOCS, 'utf8').catch(() => '');
    assert.ok(checkedIn === renderConfigurationDocs(), 'docs/configuration.md is stale: run `npm run docs`');
  });

  it('has a section per area and a row per option with its deprecated keys and notes', () => {
    const docs = renderConfigurationDocs();
    for (const group of ALL_OPTION_GROUPS) {
      assert.ok(docs.includes(`## ${group.title}\n`), group.title);
      for (const option of group.options) {
        const key = option.kind === 'option' ? option.key : option.pattern;
        const row = docs.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));
        assert.ok(row !== undefined, `row for ${key}`);
        assert.ok(row.includes(`| ${option.defaultText} |`), `default of ${key}`);
        if (option.kind === 'option') for (const old of option.deprecatedKeys) assert.ok(row.includes(`\`${old}\``), `${old} in ${key}`);
        if (option.note !== undefined) assert.ok(row.includes('**tsflink:**'), `note of ${key}`);
      }
    }
  });
});
