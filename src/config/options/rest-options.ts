import type { OptionGroup } from '../config-option.js';
import { atLeast, portNumber, portSpec } from '../option-checks.js';
import { intOption, stringOption } from '../option-builders.js';

export const REST_ADDRESS = stringOption('rest.address', {
  description: 'Address clients use to reach the REST API and web UI. When unset, jobmanager.rpc.address is read instead.',
  fallbackKeys: ['jobmanager.rpc.address'],
  note: "When neither key is set the value is absent; callers fall back to jobmanager.rpc.address's default (localhost).",
});

export const REST_PORT = intOption('rest.port', {
  description:
    'Port of the REST API and web UI that clients connect to; the server binds it too unless rest.bind-port is set. 0 picks a free port.',
  default: 8081,
  check: portNumber,
});

export const REST_BIND_ADDRESS = stringOption('rest.bind-address', {
  description: 'Local address the REST server binds to.',
  default: 'localhost',
  deprecatedKeys: ['jobmanager.web.address'],
  note: 'Flink has no default (it binds all interfaces; its shipped config.yaml sets localhost); tsflink defaults to localhost so the web UI is not exposed unless asked.',
});

export const REST_BIND_PORT = stringOption('rest.bind-port', {
  description:
    'Port the REST server binds to: a port, a range such as 50100-50200 or a comma-separated list; the first free one is used. When unset, rest.port is read instead.',
  default: '8081',
  fallbackKeys: ['rest.port'],
  deprecatedKeys: ['web.port', 'jobmanager.web.port'],
  check: portSpec,
});

export const REST_SERVER_MAX_CONTENT_LENGTH = intOption('rest.server.max-content-length', {
  description: 'Largest request body, in bytes, the REST server accepts.',
  default: 104_857_600,
  check: atLeast(1),
});

/** The REST endpoint's addresses and limits. */
export const REST_OPTIONS: OptionGroup = {
  title: 'REST API',
  options: [REST_ADDRESS, REST_PORT, REST_BIND_ADDRESS, REST_BIND_PORT, REST_SERVER_MAX_CONTENT_LENGTH],
};
