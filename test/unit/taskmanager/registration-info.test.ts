import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataAddressFor } from '../../../src/rpc/gateways/task-executor-registration.js';
import { reachableHost, registrationOf } from '../../../src/taskmanager/registration-info.js';
import { asResourceId } from '../../helpers/ids.js';

const identity = {
  resourceId: asResourceId('tm-1'),
  host: 'box',
  numberOfSlots: 2,
  memoryConfiguration: {} as never,
};

describe('what a TaskManager registers with', () => {
  it('advertises a TCP data endpoint under the reachable host, with the port it bound', () => {
    const registration = registrationOf(identity, { kind: 'tcp', host: '0.0.0.0', port: 40123 }, '10.0.0.7');
    assert.equal(registration.dataAddress, '10.0.0.7:40123');
    assert.equal(registration.host, '10.0.0.7');
  });

  it('advertises a Unix socket as its path and keeps the host name', () => {
    const registration = registrationOf(identity, { kind: 'unix', path: '/run/tm.sock' }, 'ignored');
    assert.equal(registration.dataAddress, 'unix:/run/tm.sock');
    assert.equal(registration.host, 'box');
  });

  it("gives TaskManagers on the same host and network each other's Unix socket, and TCP to the rest", () => {
    const producer = registrationOf(identity, { kind: 'tcp', host: '0.0.0.0', port: 40123 }, '10.0.0.7', {
      address: { kind: 'unix', path: '/run/tm.sock' },
      hostKey: 'boot-1/net:[1]',
    });
    assert.equal(dataAddressFor(producer, { hostKey: 'boot-1/net:[1]' }), 'unix:/run/tm.sock');
    assert.equal(dataAddressFor(producer, { hostKey: 'boot-1/net:[2]' }), '10.0.0.7:40123');
    assert.equal(dataAddressFor(producer, {}), '10.0.0.7:40123');
    assert.equal(dataAddressFor({ dataAddress: 'unix:/run/a.sock' }, { hostKey: 'x' }), 'unix:/run/a.sock');
  });

  it('turns a socket local address into a host others can dial', () => {
    assert.equal(reachableHost('::ffff:10.1.2.3'), '10.1.2.3');
    assert.equal(reachableHost('fd00::5'), '[fd00::5]');
    assert.equal(reachableHost(undefined), undefined);
    assert.equal(reachableHost(''), undefined);
  });
});
