import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FdLogSink, MemoryLogSink, configureLogging, getLogger } from '../../../src/core/logging.js';
import { Configuration, logLoadedConfiguration } from '../../../src/config/index.js';

describe('logLoadedConfiguration', () => {
  it('logs each property with secrets masked, then each warning', () => {
    const sink = new MemoryLogSink();
    configureLogging(sink, 'INFO');
    try {
      const configuration = Configuration.fromEntries([
        { key: 'rest.port', value: '8082', origin: { kind: 'dynamic' } },
        { key: 'metrics.reporter.x.password', value: 'pw', origin: { kind: 'dynamic' } },
      ]);
      logLoadedConfiguration({ configuration, warnings: ['something odd'], sourceFile: undefined }, getLogger('GlobalConfiguration'));
    } finally {
      configureLogging(new FdLogSink(2), 'INFO');
    }
    assert.equal(sink.lines.length, 3);
    assert.match(sink.lines[0] ?? '', /INFO {2}GlobalConfiguration - Loading configuration property: rest.port, 8082$/);
    assert.match(sink.lines[1] ?? '', /Loading configuration property: metrics.reporter.x.password, \*\*\*\*\*\*$/);
    assert.match(sink.lines[2] ?? '', /WARN {2}GlobalConfiguration - something odd$/);
  });
});
