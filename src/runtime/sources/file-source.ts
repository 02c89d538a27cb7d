/**
 * Flink's FileSource for record formats (bounded): the given files and directories (expanded
 * recursively, hidden files skipped, sorted) become one split per file, file k starting at subtask
 * k mod parallelism; a split's state is its path and the number of records already read.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { SourceReadError, UnsupportedOperationError } from '../runtime-errors.js';
import type { SourceStatus } from '../task-contract.js';
import { AVAILABLE } from './availability.js';
import { LineFileReader } from './line-file-reader.js';
import type { Boundedness, ReaderOutput, Source, SourceReader, SourceReaderContext } from './source.js';

/** Reads the records of one file, one at a time. */
export interface RecordReader<T> {
  read(): T | undefined;
  close(): void;
}

/** A format that reads a file as a stream of records (Flink's StreamFormat). */
export interface StreamFormat<T> {
  readonly outputType: TypeDescriptor;
  openReader(path: string): RecordReader<T>;
}

/** One line of text per record (Flink's TextLineInputFormat). */
export class TextLineInputFormat implements StreamFormat<string> {
  readonly outputType: TypeDescriptor = { kind: 'STRING' };
  private readonly encoding: BufferEncoding;
  constructor(charsetName = 'UTF-8') {
    const enc = charsetName.toLowerCase().replace('-', '');
    if (!['utf8', 'latin1', 'ascii', 'utf16le'].includes(enc)) {
      throw new UnsupportedOperationError(`Unsupported charset '${charsetName}': use UTF-8, ISO-8859-1 (latin1), US-ASCII or UTF-16LE`);
    }
    this.encoding = enc as BufferEncoding;
  }
  openReader(path: string): RecordReader<string> {
    const reader = new LineFileReader(path, this.encoding);
    return { read: () => reader.nextLine(), close: () => reader.close() };
  }
}

/** One file and how many of its records were read. */
export interface FileSplit {
  readonly id: number;
  readonly path: string;
  offset: number;
}

function isHidden(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_');
}

function expand(path: string, out: string[]): void {
  let stats;
  try {
    stats = statSync(path);
  } catch (cause) {
    throw new SourceReadError(`File source input '${path}' does not exist or cannot be read`, { cause });
  }
  if (!stats.isDirectory()) {
    out.push(path);
    return;
  }
  const names = readdirSync(path)
    .filter((n) => !isHidden(n))
    .sort();
  for (const name of names) expand(join(path, name), out);
}

/** Bounded source over files. */
export class FileSource<T> implements Source<T, FileSplit> {
  readonly boundedness: Boundedness = 'BOUNDED';
  readonly nonParallel = false;
  readonly outputType: TypeDescriptor;

  constructor(
    private readonly format: StreamFormat<T>,
    readonly paths: readonly string[],
  ) {
    if (paths.length === 0) throw new UnsupportedOperationError('FileSource needs at least one path');
    this.outputType = format.outputType;
  }

  /** Starts a FileSource builder reading `paths` with a record format. */
  static forRecordStreamFormat<T>(format: StreamFormat<T>, ...paths: string[]): FileSourceBuilder<T> {
    return new FileSourceBuilder(format, paths);
  }

  /** Every file of the inputs, in a fixed order, numbered. */
  listFiles(): string[] {
    const files: string[] = [];
    for (const p of this.paths) expand(resolve(p), files);
    return files;
  }

  createInitialSplits(ctx: SourceReaderContext): FileSplit[] {
    return this.listFiles()
      .map((path, id) => ({ id, path, offset: 0 }))
      .filter((s) => s.id % ctx.parallelism === ctx.subtaskIndex);
  }

  createReader(): SourceReader<T, FileSplit> {
    return new FileSplitReader(this.format);
  }
}

/** Builds a FileSource; continuous monitoring is not supported. */
export class FileSourceBuilder<T> {
  constructor(
    private readonly format: StreamFormat<T>,
    private readonly paths: string[],
  ) {}
  monitorContinuously(): FileSourceBuilder<T> {
    throw new UnsupportedOperationError('FileSource.monitorContinuously is not supported: tsflink reads files as a bounded input');
  }
  build(): FileSource<T> {
    return new FileSource(this.format, this.paths);
  }
}

class FileSplitReader<T> implements SourceReader<T, FileSplit> {
  private splits: FileSplit[] = [];
  private current: RecordReader<T> | undefined;

  constructor(private readonly format: StreamFormat<T>) {}

  start(): void {}

  addSplits(splits: readonly FileSplit[]): void {
    for (const s of splits) this.splits.push({ id: s.id, path: s.path, offset: s.offset });
    this.splits.sort((a, b) => a.id - b.id);
  }

  private open(split: FileSplit): RecordReader<T> {
    try {
      const reader = this.format.openReader(split.path);
      for (let i = 0; i < split.offset; i++) if (reader.read() === undefined) break;
      return reader;
    } catch (cause) {
      throw new SourceReadError(`Cannot read file '${split.path}'`, { cause });
    }
  }

  pollNext(output: ReaderOutput<T>, budget: number): SourceStatus {
    let emitted = 0;
    while (emitted < budget) {
      const split = this.splits[0];
      if (split === undefined) return 'END_OF_INPUT';
      this.current ??= this.open(split);
      const out = output.forSplit(String(split.id));
      for (; emitted < budget; emitted++) {
        const record = this.current.read();
        if (record === undefined) break;
        split.offset++;
        out.collect(record);
      }
      if (emitted < budget) {
        this.current.close();
        this.current = undefined;
        this.splits.shift();
        output.splitFinished(String(split.id));
      }
    }
    return this.splits.length === 0 ? 'END_OF_INPUT' : 'MORE_AVAILABLE';
  }

  isAvailable(): Promise<void> {
    return AVAILABLE;
  }

  snapshotState(): FileSplit[] {
    return this.splits.map((s) => ({ ...s }));
  }

  pendingRecords(): undefined {
    return undefined;
  }

  close(): void {
    this.current?.close();
    this.current = undefined;
  }
}
