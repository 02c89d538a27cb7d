import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProgramError } from '../../../src/core/errors.js';
import { formatManifest, parseManifest } from '../../../src/packaging/index.js';

describe('parseManifest', () => {
  it('reads main attributes with CRLF, LF and CR line ends and stops at the first blank line', () => {
    for (const eol of ['\r\n', '\n', '\r']) {
      const text = ['Manifest-Version: 1.0', 'Main-Class: a.b.Job', '', 'Name: x/Y.class', 'Main-Class: not.this'].join(eol);
      const manifest = parseManifest(text);
      assert.equal(manifest.get('Main-Class'), 'a.b.Job');
      assert.equal(manifest.get('main-class'), 'a.b.Job');
      assert.equal(manifest.entryClass, 'a.b.Job');
      assert.equal(manifest.get('Name'), undefined);
    }
  });

  it('joins continuation lines', () => {
    const text = 'Manifest-Version: 1.0\r\nMain-Class: org.apache.flink.streaming.examples.wind\r\n owing.TopSpeedWindowing\r\n\r\n';
    assert.equal(parseManifest(text).entryClass, 'org.apache.flink.streaming.examples.windowing.TopSpeedWindowing');
  });

  it('lets program-class win over Main-Class, as Flink does', () => {
    const manifest = parseManifest('Main-Class: a.Launcher\nprogram-class: a.RealJob\n');
    assert.equal(manifest.entryClass, 'a.RealJob');
    assert.equal(parseManifest('Manifest-Version: 1.0\n').entryClass, undefined);
  });

  it('rejects malformed lines with a ProgramError naming the source and line', () => {
    assert.throws(
      () => parseManifest('Main-Class a.b.C\n', 'x.jar!/META-INF/MANIFEST.MF'),
      (e: unknown) => e instanceof ProgramError && /x\.jar!\/META-INF\/MANIFEST\.MF, line 1/.test(e.message),
    );
    assert.throws(() => parseManifest(' continued\n'), ProgramError);
  });
});

describe('formatManifest', () => {
  it('wraps at 72 bytes with CRLF and round-trips', () => {
    const longClass = `org.example.${'verylongpackagename.'.repeat(8)}Job`;
    const text = formatManifest([
      ['Manifest-Version', '1.0'],
      ['Main-Class', longClass],
      ['Note', 'é'.repeat(80)],
    ]);
    assert.ok(text.endsWith('\r\n\r\n'));
    for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 72, `line of ${Buffer.byteLength(line)} bytes`);
    const back = parseManifest(text);
    assert.equal(back.entryClass, longClass);
    assert.equal(back.get('Note'), 'é'.repeat(80));
  });

  it('refuses attributes that would break the format', () => {
    assert.throws(() => formatManifest([['Main-Class', 'a\nb']]), ProgramError);
    assert.throws(() => formatManifest([['Bad:Name', 'x']]), ProgramError);
  });
});
