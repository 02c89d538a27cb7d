import type { TLSSocket } from 'node:tls';
import type { Logger } from '../core/logging.js';

/** How often a failed TLS handshake may reach the log; those in between are counted into the next line. */
const WINDOW_MS = 60_000;

/**
 * Logs failed TLS handshakes on the REST port, at most one line a minute: a misconfigured client
 * must show up in the log, but a scanner or a loop of plain-HTTP probes must not flood it.
 */
export class HandshakeFailureLog {
  private lastLoggedAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one failed handshake (the server's tlsClientError). */
  failed(error: NodeJS.ErrnoException, socket: TLSSocket): void {
    const at = this.now();
    if (at - this.lastLoggedAt < WINDOW_MS) {
      this.suppressed++;
      return;
    }
    const more = this.suppressed === 0 ? '' : ` (${this.suppressed} more since the last such line, not logged)`;
    this.lastLoggedAt = at;
    this.suppressed = 0;
    // A socket Node destroyed for an untrusted certificate no longer knows its peer.
    const peer = socket.remoteAddress === undefined ? '' : ` from ${socket.remoteAddress}`;
    this.log.warn(`TLS handshake with a REST client${peer} failed: ${reason(error, socket)}${more}.`);
  }
}

/** What went wrong, in OpenSSL's words where it has them, with what that most likely means. */
function reason(error: NodeJS.ErrnoException, socket: TLSSocket): string {
  // Node destroys a client whose certificate the truststore does not trust, without an OpenSSL error.
  const rejected: unknown = socket.authorizationError;
  if (rejected !== null && rejected !== undefined) {
    return `its certificate was refused (${String(rejected)}): security.ssl.rest.truststore does not trust it`;
  }
  const openssl = /SSL routines:[^:]*:([^:]+):/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_SSL_HTTP_REQUEST':
      return 'it sent plain HTTP to the HTTPS port';
    case 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE':
      return 'it showed no certificate, and security.ssl.rest.authentication-enabled requires one';
    case 'ECONNRESET':
      return "it closed the connection during the handshake (does it trust this server's certificate?)";
    case 'ERR_TLS_HANDSHAKE_TIMEOUT':
      return 'it did not finish the handshake in time';
    default:
      return openssl ?? error.code ?? error.message;
  }
}
