/** Reads a text file line by line with synchronous chunked reads (Java readLine rules: \n, \r\n or \r end a line). */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const CHUNK = 64 * 1024;

/** A line iterator over one file that never loads the whole file. */
export class LineFileReader {
  private fd: number | undefined;
  private readonly decoder: StringDecoder;
  private readonly buffer = Buffer.allocUnsafe(CHUNK);
  private pending = '';
  private lines: string[] = [];
  private lineIndex = 0;
  private eof = false;
  private skipLeadingLf = false;

  constructor(
    readonly path: string,
    encoding: BufferEncoding = 'utf8',
  ) {
    this.fd = openSync(path, 'r');
    this.decoder = new StringDecoder(encoding);
  }

  /** The next line without its terminator, or undefined at the end of the file. */
  nextLine(): string | undefined {
    while (this.lineIndex >= this.lines.length) {
      if (this.eof) return undefined;
      this.fill();
    }
    return this.lines[this.lineIndex++];
  }

  private fill(): void {
    this.lines = [];
    this.lineIndex = 0;
    const n = readSync(this.fd!, this.buffer, 0, CHUNK, null);
    let text = n > 0 ? this.decoder.write(this.buffer.subarray(0, n)) : this.decoder.end();
    if (n === 0) this.eof = true;
    if (this.skipLeadingLf && text.length > 0) {
      if (text.charCodeAt(0) === 10) text = text.slice(1);
      this.skipLeadingLf = false;
    }
    text = this.pending + text;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.lines.push(text.slice(start, i));
      if (c === 13) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          this.skipLeadingLf = true;
        }
      }
      start = i + 1;
    }
    this.pending = text.slice(start);
    if (this.eof && this.pending.length > 0) {
      this.lines.push(this.pending);
      this.pending = '';
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
