import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { jobTemplate } from '../../../scripts/new-job.js';
import { FLINK_HOME } from '../../helpers/test-dist.js';

const PAGE = readFileSync(join(FLINK_HOME, 'docs', 'writing-jobs.md'), 'utf8');
const SNIPPETS = readFileSync(join(FLINK_HOME, 'test', 'fixtures', 'docs', 'writing-jobs-snippets.ts'), 'utf8');

/** The fenced code blocks of `language` in a markdown text. */
function codeBlocks(markdown: string, language: string): string[] {
  return [...markdown.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1]!.trimEnd());
}

/** Text with the common indentation of its lines removed. */
function dedent(text: string): string {
  const lines = text.split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** The `// doc: name` ... `// end doc` regions of the snippets file, dedented. */
function regions(source: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of source.matchAll(/^[ \t]*\/\/ doc: (\S+)\n([\s\S]*?)^[ \t]*\/\/ end doc$/gm)) found.set(m[1]!, dedent(m[2]!.trimEnd()));
  return found;
}

describe('docs/writing-jobs.md', () => {
  it('shows the first job exactly as npm run new-job -- MyJob writes it', () => {
    assert.deepEqual(codeBlocks(PAGE, 'js'), [jobTemplate('MyJob').trimEnd()]);
  });

  it('holds every TypeScript block word for word in the compiled, tested snippets file', () => {
    const blocks = codeBlocks(PAGE, 'ts');
    assert.ok(blocks.length >= 10);
    const source = dedent(SNIPPETS);
    for (const block of blocks) {
      const lines = block.split('\n');
      // Compare line by line without indentation: a region may sit inside a function.
      const haystack = source
        .split('\n')
        .map((l) => l.trim())
        .join('\n');
      assert.ok(haystack.includes(lines.map((l) => l.trim()).join('\n')), `not in the snippets file:\n${block}`);
    }
  });

  it('shows every region of the snippets file', () => {
    const blocks = new Set(codeBlocks(PAGE, 'ts'));
    const all = regions(SNIPPETS);
    assert.ok(all.size >= 10);
    for (const [name, body] of all) assert.ok(blocks.has(body), `region ${name} is not a code block of the page`);
  });
});
