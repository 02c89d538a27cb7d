import busboy from 'busboy';
import { RestError } from './rest-error.js';

/** One file of a multipart/form-data upload. */
export interface UploadedFile {
  readonly fileName: string;
  readonly bytes: Buffer;
}

/**
 * The file sent in form field `field` of a multipart body (busboy parses it: boundaries, headers and
 * encodings are its business, not hand-written code's). A body that is not valid multipart, or has no
 * such file, is a 400 naming what was expected.
 */
export function multipartFile(
  multipart: { readonly contentType: string; readonly bytes: Buffer } | undefined,
  field: string,
): Promise<UploadedFile> {
  const expected = `a multipart/form-data body with the file in field '${field}'`;
  if (multipart === undefined) return Promise.reject(new RestError(400, `Expected ${expected}.`));
  return new Promise((resolve, reject) => {
    let found: UploadedFile | undefined;
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': multipart.contentType }, limits: { files: 1 } });
    } catch (error) {
      reject(new RestError(400, `Expected ${expected}: ${(error as Error).message}.`));
      return;
    }
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (name === field && found === undefined) found = { fileName: info.filename ?? '', bytes: Buffer.concat(chunks) };
      });
    });
    parser.on('error', (error: Error) => reject(new RestError(400, `Expected ${expected}: ${error.message}.`)));
    parser.on('close', () => (found === undefined ? reject(new RestError(400, `Expected ${expected}.`)) : resolve(found)));
    parser.end(multipart.bytes);
  });
}
