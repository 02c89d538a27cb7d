import type { LogList } from '../types/responses.js';
import { MAX_LOG_CHUNK_BYTES, type LogFileSource } from '../../rpc/gateways/log-files.js';
import type { DispatcherGateway } from '../../rpc/gateways/dispatcher-gateway.js';
import { integerQuery, taskManagerIdParam } from '../request-params.js';
import { notFound } from '../rest-error.js';
import type { RestHandler, RestRequest, RestResponse } from '../router.js';

/** Which process's files a route serves: the JobManager's, or the TaskManager of the path. */
type SourceOf = (request: RestRequest) => LogFileSource;

/** The JobManager's own log directory. */
export function jobManagerLogs(gateway: DispatcherGateway): SourceOf {
  return () => gateway.jobManagerLogs;
}

/** The log directory of TaskManager `:taskmanagerid`, relayed over its connection; 404 as Flink says for an unknown one. */
export function taskManagerLogs(gateway: DispatcherGateway): SourceOf {
  return (request) => {
    const id = taskManagerIdParam(request);
    const source = gateway.taskManagerLogs(id);
    if (source === undefined) throw notFound(`Could not find TaskExecutor ${id.slice(0, 200)}.`);
    return source;
  };
}

/** GET …/logs: Flink's LogListInfo, `{"logs": [{name, size, mtime}]}`. */
export function logListHandler(sourceOf: SourceOf): RestHandler {
  return async (request) => ({ status: 200, json: { logs: await sourceOf(request).requestLogList() } satisfies LogList });
}

/** GET …/logs/:filename: the file as text; `offset` and `length` query parameters page through a large one. */
export function logFileHandler(sourceOf: SourceOf): RestHandler {
  return (request) => serveFile(sourceOf(request), request.params['filename'] ?? '', request);
}

/** GET …/log and …/stdout: the process's own `.log` or `.out` file. */
export function ownLogHandler(sourceOf: SourceOf, which: 'log' | 'stdout'): RestHandler {
  return async (request) => {
    const source = sourceOf(request);
    const name = (await source.requestLogNames())[which];
    if (name === undefined) throw notFound(`This process writes its ${which === 'log' ? 'log' : 'output'} to its console, not to a file.`);
    return serveFile(source, name, request);
  };
}

/**
 * Streams `name` from `offset` to `offset + length` (default: to the end as it was when the request
 * came), one piece of at most MAX_LOG_CHUNK_BYTES at a time, so no file is ever held whole. The first
 * piece is read before answering, so a missing file is a 404 and not a broken stream.
 */
async function serveFile(source: LogFileSource, name: string, request: RestRequest): Promise<RestResponse> {
  const offset = integerQuery(request, 'offset', 0, 0);
  const length = integerQuery(request, 'length', Number.MAX_SAFE_INTEGER, 0);
  const first = await source.requestLogChunk(name, offset, Math.min(length, MAX_LOG_CHUNK_BYTES));
  const end = Math.min(first.size, offset + length);
  async function* pieces(): AsyncGenerator<Buffer> {
    let position = offset + first.bytes.length;
    if (first.bytes.length > 0) yield first.bytes;
    while (position < end) {
      const chunk = await source.requestLogChunk(name, position, Math.min(end - position, MAX_LOG_CHUNK_BYTES));
      if (chunk.bytes.length === 0) return;
      position += chunk.bytes.length;
      yield chunk.bytes;
    }
  }
  return { status: 200, stream: pieces(), contentType: 'text/plain; charset=UTF-8' };
}
