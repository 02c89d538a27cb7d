import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { detach } from '../core/detach.js';
import { describeError } from '../core/errors.js';
import { getLogger } from '../core/logging.js';
import type { MetricRegistry } from './metric-registry.js';
import { listenOnFirstFree } from './port-range.js';
import { PrometheusCollector } from './prometheus-collector.js';

const log = getLogger('metrics');

/** A started metric reporter, closed when its process shuts down. */
export interface MetricReporter {
  readonly name: string;
  close(): Promise<void>;
}

/**
 * Flink's PrometheusReporter: an HTTP endpoint, on the first free port of its range, that
 * Prometheus scrapes (`/` or `/metrics`). It listens on every interface, as Flink's does.
 */
export class PrometheusReporter implements MetricReporter {
  private readonly collector: PrometheusCollector;
  private readonly server: Server;
  private boundPort: number | undefined;

  constructor(
    readonly name: string,
    registry: MetricRegistry,
    filterLabelValues = true,
  ) {
    this.collector = new PrometheusCollector(registry, filterLabelValues);
    this.server = createServer((request, response) => {
      detach(this.serve(request, response), (error) => {
        log.warn(`Could not answer a Prometheus scrape: ${describeError(error)}`);
        response.destroy();
      });
    });
  }

  /** The port it listens on, once open. */
  get port(): number | undefined {
    return this.boundPort;
  }

  /** Listens on the first free port of `ports`; false (logged) when every one is taken. */
  async open(ports: readonly number[], host?: string): Promise<boolean> {
    this.boundPort = await listenOnFirstFree(this.server, ports, host);
    if (this.boundPort === undefined) {
      log.error(
        `Could not start PrometheusReporter HTTP server on any configured port. Ports: ${ports.length > 8 ? `${ports[0]}-${ports[ports.length - 1]}` : ports.join(', ')}`,
      );
      return false;
    }
    log.info(`Started PrometheusReporter HTTP server on port ${this.boundPort}.`);
    return true;
  }

  /** Stops listening and drops open scrape connections, so the port is free when this resolves. */
  async close(): Promise<void> {
    if (this.boundPort === undefined) return;
    this.boundPort = undefined;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (path !== '/' && path !== '/metrics') {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: metrics are served at /metrics\n');
      return;
    }
    try {
      const text = await this.collector.scrape();
      response.writeHead(200, { 'Content-Type': this.collector.contentType });
      response.end(request.method === 'HEAD' ? undefined : text);
    } catch (error) {
      log.warn(`Prometheus scrape failed: ${describeError(error)}`);
      response.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n');
    }
  }
}
