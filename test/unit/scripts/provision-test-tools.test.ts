import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { provision, type ProvisionHost, type TestTool } from '../../../scripts/provision-test-tools.js';

/** A machine where `installed` holds the packages present; apt-get installs into it unless it fails. */
function fakeHost(installed: Set<string>, overrides: Partial<ProvisionHost> = {}): ProvisionHost & { calls: string[][]; lines: string[] } {
  const calls: string[][] = [];
  const lines: string[] = [];
  return {
    isRoot: true,
    hasAptGet: true,
    aptGet: (args) => {
      calls.push([...args]);
      if (args[0] === 'install') for (const pkg of args.slice(3)) installed.add(pkg);
      return null;
    },
    log: (line) => lines.push(line),
    calls,
    lines,
    ...overrides,
  };
}

function tools(installed: Set<string>): TestTool[] {
  return [
    { pkg: 'chromium', purpose: 'the web UI test', present: () => installed.has('chromium'), testFiles: ['e2e/web-ui'] },
    { pkg: 'prometheus', purpose: 'the metrics test', present: () => installed.has('prometheus'), testFiles: ['e2e/prometheus'] },
  ];
}

describe('provisioning the tools tests need', () => {
  it('does nothing when the chosen tests need nothing missing', () => {
    const installed = new Set<string>();
    const host = fakeHost(installed);
    assert.equal(provision(['test/unit/config/a.test.ts'], tools(installed), host), null);
    assert.deepEqual(host.calls, []);
  });

  it('installs only the missing packages of the chosen tests, after apt-get update', () => {
    const installed = new Set<string>();
    const host = fakeHost(installed);
    assert.equal(provision(['test/e2e/web-ui.test.ts', 'test/unit/x.test.ts'], tools(installed), host), null);
    assert.deepEqual(host.calls, [
      ['update', '-qq'],
      ['install', '-y', '-qq', 'chromium'],
    ]);
    assert.deepEqual([...installed], ['chromium']);
    assert.match(host.lines.join('\n'), /Installing Debian's chromium \(for the web UI test\)/);
  });

  it('refuses in one line naming the package and the command when not root', () => {
    const installed = new Set<string>();
    const host = fakeHost(installed, { isRoot: false });
    const line = provision(['test/e2e/web-ui.test.ts', 'test/e2e/prometheus.test.ts'], tools(installed), host);
    assert.ok(line !== null);
    assert.doesNotMatch(line, /\n/);
    assert.match(line, /chromium \(for the web UI test\), prometheus \(for the metrics test\)/);
    assert.match(line, /sudo sh -c 'apt-get update && apt-get install -y chromium prometheus'/);
    assert.deepEqual(host.calls, []);
  });

  it('refuses when apt-get is missing, and reports a failed install with its reason', () => {
    const installed = new Set<string>();
    assert.match(provision(['e2e/web-ui'], tools(installed), fakeHost(installed, { hasAptGet: false })) ?? '', /no apt-get/);
    const failing = fakeHost(installed, { aptGet: (args) => (args[0] === 'install' ? 'E: Unable to locate package chromium' : null) });
    const line = provision(['e2e/web-ui'], tools(installed), failing);
    assert.match(line ?? '', /could not install Debian's chromium \(apt-get install: E: Unable to locate package chromium\)/);
  });

  it('reports a package still missing after apt-get claims success', () => {
    const installed = new Set<string>();
    const host = fakeHost(installed, { aptGet: () => null });
    assert.match(provision(['e2e/prometheus'], tools(installed), host) ?? '', /prometheus is still missing/);
  });
});
