/** How job class names map to module entries inside a job archive, and which entry names are safe. */

const CLASS_NAME = /^[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*$/;

/** Whether `name` is a dotted class name we can map to an archive path (no slashes, no empty segments). */
export function isValidClassName(name: string): boolean {
  return CLASS_NAME.test(name);
}

/** The entries that may hold class `a.b.C`: `a/b/C.js` and `a/b/C.mjs`, in that order of preference. */
export function classEntryPaths(className: string): [string, string] {
  const base = className.split('.').join('/');
  return [`${base}.js`, `${base}.mjs`];
}

/** Whether a file name is a job archive: a `.jar`, or a plain `.js`/`.mjs` module. */
export function isJobArchiveName(fileName: string): boolean {
  return fileName.endsWith('.jar') || isPlainModuleName(fileName);
}

/** Whether a file name is a plain ES module job. */
export function isPlainModuleName(fileName: string): boolean {
  return fileName.endsWith('.mjs') || fileName.endsWith('.js');
}

/**
 * Why an archive entry name must not be extracted, or undefined when it is safe: absolute paths,
 * drive letters, backslashes, NUL, empty, `.` and `..` segments are refused.
 */
export function unsafeEntryNameReason(name: string): string | undefined {
  if (name.length === 0) return 'empty name';
  if (name.includes('\\')) return 'backslash in the path';
  if (name.includes('\0')) return 'NUL character in the path';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'absolute path';
  const segments = name.endsWith('/') ? name.slice(0, -1).split('/') : name.split('/');
  for (const segment of segments) {
    if (segment === '..') return "'..' segment escapes the destination";
    if (segment === '.' || segment === '') return 'empty or "." path segment';
  }
  return undefined;
}
