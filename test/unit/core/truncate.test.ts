import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { truncateText } from '../../../src/core/truncate.js';
import { CheckpointStatsTracker } from '../../../src/jobmanager/checkpoint/checkpoint-stats-tracker.js';
import { ExceptionHistory } from '../../../src/jobmanager/jobmaster/exception-history.js';
import { asVertexId } from '../../helpers/ids.js';

describe('truncateText', () => {
  it('keeps short text and cuts long text to the limit, saying how much it left out', () => {
    assert.equal(truncateText('short', 10), 'short');
    const cut = truncateText('a'.repeat(1_000), 100);
    assert.equal(cut.length, 100);
    assert.match(cut, /^a+ … \(\d+ more characters\)$/);
    const left = Number(/\((\d+) more/.exec(cut)?.[1]);
    assert.equal(cut.indexOf(' …') + left, 1_000, 'the note counts exactly what was cut');
  });

  it('bounds what a job keeps of a huge failure', () => {
    const history = new ExceptionHistory(10);
    history.add({ name: 'Error', message: 'm', stack: 'y'.repeat(10_000_000) });
    assert.ok((history.list()[0]?.stacktrace.length ?? 0) <= 65_536);
    const tracker = new CheckpointStatsTracker();
    tracker.reportPending(1, 'SAVEPOINT', 0, [{ vertexId: asVertexId('v'), parallelism: 1 }]);
    tracker.reportFailed(1, 1, `Could not create ${'/p'.repeat(25_000_000)}`);
    assert.ok((tracker.snapshot().latestFailed?.failureMessage?.length ?? 0) <= 4_096);
  });
});
