/** A page of the dashboard, as addressed by the URL's hash. */
export type Route =
  | { readonly page: 'overview' }
  | { readonly page: 'job'; readonly jobId: string; readonly vertexId: string | undefined }
  | { readonly page: 'taskmanagers' }
  | { readonly page: 'taskmanager'; readonly taskManagerId: string };

/** Reads a route from `#/jobs/<id>`, `#/jobs/<id>/vertices/<id>`, `#/taskmanagers[/<id>]`; anything else is the overview. */
export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((part) => part !== '')
    .map(decodeSafely);
  const [first, second, third, fourth] = parts;
  if (first === 'jobs' && second !== undefined) {
    return { page: 'job', jobId: second, vertexId: third === 'vertices' ? fourth : undefined };
  }
  if (first === 'taskmanagers') return second === undefined ? { page: 'taskmanagers' } : { page: 'taskmanager', taskManagerId: second };
  return { page: 'overview' };
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
      return `#/taskmanagers/${encodeURIComponent(route.taskManagerId)}`;
  }
}

function decodeSafely(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
