/** Node's codes for a server certificate the client does not trust (its CA, its dates or its name). */
const UNTRUSTED_SERVER = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** OpenSSL alerts a server sends when it wants a client certificate it did not get, or did not trust. */
const CLIENT_CERTIFICATE_REFUSED = /^ERR_SSL_(TLSV13_ALERT_CERTIFICATE_REQUIRED|SSLV3_ALERT_BAD_CERTIFICATE|TLSV1_ALERT_UNKNOWN_CA)$/;

/**
 * Why a request to the REST API got no answer, in one line with the likely fix: the JobManager is
 * not running, or the two sides disagree about TLS (security.ssl.rest.*).
 */
export function describeConnectionFailure(error: unknown, baseUrl: string, timeoutMs: number): string {
  const where = `the JobManager's REST API at ${baseUrl}`;
  if (isTimeout(error)) return `Could not reach ${where} (no answer within ${timeoutMs / 1000} s); is it running?`;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const openssl = opensslReason(error instanceof Error ? error.message : String(error));
  const detail = describeCode(code, openssl, error);
  const secure = baseUrl.startsWith('https:');
  if (UNTRUSTED_SERVER.has(code)) {
    const name = code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? '; security.ssl.verify-hostname: false skips the name check' : '';
    return `Could not reach ${where}: its certificate is not trusted (${detail}). Point security.ssl.rest.truststore at a truststore holding its CA${name}.`;
  }
  if (CLIENT_CERTIFICATE_REFUSED.test(code)) {
    return `The JobManager's REST API at ${baseUrl} refused this client (${detail}): it requires a client certificate its truststore trusts; set security.ssl.rest.authentication-enabled: true and security.ssl.rest.keystore.`;
  }
  if (secure && /wrong version number|packet length too long/.test(openssl ?? '')) {
    return `Could not reach ${where} (${detail}): the port answers without TLS; is security.ssl.rest.enabled off on the JobManager?`;
  }
  if (!secure && (code === 'ECONNRESET' || code === 'EPIPE')) {
    return `Could not reach ${where} (${detail}): the connection was dropped; if the JobManager serves HTTPS (security.ssl.rest.enabled), enable it here too or name it with -m https://<host:port>.`;
  }
  return `Could not reach ${where} (${detail}); is it running? -m <host:port> names another address.`;
}

/** A system error's code says it all (ECONNREFUSED); a TLS one needs its reason too (which name, which alert). */
function describeCode(code: string, openssl: string | undefined, error: unknown): string {
  if (openssl !== undefined) return `${code}: ${openssl}`;
  if (/^E[A-Z]+$/.test(code)) return code;
  const message = (error instanceof Error ? error.message : String(error)).trim();
  return code === '' ? message : `${code}: ${message}`;
}

function isTimeout(error: unknown): boolean {
  const cause = (error as { cause?: unknown }).cause;
  return (error instanceof Error && error.name === 'TimeoutError') || (cause instanceof Error && cause.name === 'TimeoutError');
}

/** The reason of an OpenSSL message (`...:SSL routines:func:reason:file:line:`), if it is one. */
function opensslReason(message: string): string | undefined {
  return /SSL routines:[^:]*:([^:]+):/.exec(message)?.[1];
}
