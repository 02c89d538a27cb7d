/** A page of the dashboard, as addressed by the URL's hash. */
export type Route =
  | { readonly page: 'overview' }
  | { readonly page: 'job'; readonly jobId: string; readonly vertexId: string | undefined }
  | { readonly page: 'taskmanagers' }
  | { readonly page: 'taskmanager'; readonly taskManagerId: string; readonly tab?: 'logs' | 'log' | 'stdout' }
  /** Flink's Job Manager page: configuration and logs. */
  | { readonly page: 'jobmanager'; readonly tab: 'config' | 'logs' | 'log' | 'stdout' }
  /** Flink's "Submit New Job" page: upload a jar, run it. */
  | { readonly page: 'submit' }
  /** A route of Flink's dashboard that tsflink's does not have (yet): say so instead of showing another page. */
  | { readonly page: 'not-available'; readonly hash: string };

/**
 * Reads a route from tsflink's own hashes (`#/jobs/<id>[/vertices/<id>]`, `#/taskmanagers[/<id>]`)
 * and from the ones Flink's dashboard uses, so a bookmark from Flink works: `#/overview`,
 * `#/job/running`, `#/job/completed`, `#/job/<id>/<tab>`, `#/task-manager[/<id>/<tab>]`, `#/submit`,
 * `#/job-manager[/config|logs|log|stdout]`. Anything else (Flink's job-manager metrics page, typos)
 * is the not-available page.
 */
export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((part) => part !== '')
    .map(decodeSafely);
  const [first, second, third, fourth] = parts;
  if (first === undefined || first === 'overview') return { page: 'overview' };
  if (first === 'jobs' && second !== undefined) {
    return { page: 'job', jobId: second, vertexId: third === 'vertices' ? fourth : undefined };
  }
  if (first === 'job' && (second === 'running' || second === 'completed') && third === undefined) return { page: 'overview' };
  if (first === 'job' && second !== undefined && /^[0-9a-f]{32}$/i.test(second)) return { page: 'job', jobId: second, vertexId: undefined };
  if (first === 'submit' && second === undefined) return { page: 'submit' };
  if (first === 'job-manager' && third === undefined) {
    if (second === undefined) return { page: 'jobmanager', tab: 'config' };
    if (second === 'config' || second === 'logs' || second === 'log' || second === 'stdout') return { page: 'jobmanager', tab: second };
  }
  if (first === 'taskmanagers' || first === 'task-manager') {
    if (second === undefined) return { page: 'taskmanagers' };
    return third === 'logs' || third === 'log' || third === 'stdout'
      ? { page: 'taskmanager', taskManagerId: second, tab: third }
      : { page: 'taskmanager', taskManagerId: second };
  }
  return { page: 'not-available', hash: `#/${parts.join('/')}` };
}

/** The hash of a route, for links. */
export function routeHref(route: Route): string {
  switch (route.page) {
    case 'overview':
      return '#/overview';
    case 'job':
      return `#/jobs/${encodeURIComponent(route.jobId)}${route.vertexId === undefined ? '' : `/vertices/${encodeURIComponent(route.vertexId)}`}`;
    case 'taskmanagers':
      return '#/taskmanagers';
    case 'taskmanager':
      return `#/taskmanagers/${encodeURIComponent(route.taskManagerId)}${route.tab === undefined ? '' : `/${route.tab}`}`;
    case 'jobmanager':
      return `#/job-manager/${route.tab}`;
    case 'submit':
      return '#/submit';
    case 'not-available':
      return route.hash;
  }
}

function decodeSafely(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
