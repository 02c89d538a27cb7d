import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configureLogging, escapeControlCharacters, Logger, MemoryLogSink } from '../../../src/core/logging.js';

describe('log lines', () => {
  it('escapes control characters so a message stays one line', () => {
    assert.equal(escapeControlCharacters('a\nb\rc\x1b[31md\x00e\x7f'), 'a\\nb\\rc\\x1b[31md\\x00e\\x7f');
    assert.equal(escapeControlCharacters('tab\tstays, ünïcode stays'), 'tab\tstays, ünïcode stays');
  });

  it('writes a message with a newline as one line, and an error stack after it', () => {
    const sink = new MemoryLogSink();
    configureLogging(sink, 'INFO');
    const error = new Error('boom');
    new Logger('test').warn('value x\nFORGED line', error);
    const [line] = sink.lines;
    assert.ok(line !== undefined);
    const [first, ...rest] = line.split('\n');
    assert.match(first ?? '', / WARN {2}test - value x\\nFORGED line$/);
    assert.match(rest[0] ?? '', /^Error: boom$/, 'the stack keeps its own lines');
  });
});
