/**
 * A page of the dashboard: it owns its root element and re-reads the REST API on every refresh,
 * rendering in place so the page updates without reloads. A refresh that throws makes the shell
 * show the error and try again on the next tick.
 */
export interface View {
  readonly root: HTMLElement;
  refresh(): Promise<void>;
}
