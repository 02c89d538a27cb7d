import { renderCheckpointDetails, type CheckpointSelection } from './checkpoint-details-panel.js';
import { renderCheckpointHistory, renderCheckpointsPanel } from './checkpoints-panel.js';
import { layoutDag } from './dag-layout.js';
import { card, empty, facts, h, mount, statusBadge } from './dom.js';
import { renderExceptionsPanel } from './exceptions-panel.js';
import { formatDuration, formatTimestamp, NONE } from './format.js';
import { routeHref } from './hash-route.js';
import { renderJobConfigPanel } from './job-config-panel.js';
import { renderJobGraph } from './job-graph-svg.js';
import { renderParallelismTimeline } from './parallelism-timeline.js';
import { getJson, getOptionalJson, patch, RestClientError, settle } from './rest-client.js';
import type {
  CheckpointStatistics,
  CheckpointSubtaskDetails,
  JobConfig,
  CheckpointingStatistics,
  JobDetailsInfo,
  JobExceptionsInfo,
  JobPlan,
  JobVertexSummary,
  ParallelismHistory,
  PlanNode,
  VertexDetails,
} from '../rest/types/responses.js';
import { renderSubtasksPanel } from './subtasks-panel.js';
import { fetchThroughput, type VertexThroughput } from './throughput.js';
import { renderVertexTable } from './vertex-table.js';
import type { View } from './view.js';

/** Everything one refresh of the job page reads; the optional parts are undefined when their endpoint has no answer. */
interface JobPageData {
  readonly job: JobDetailsInfo;
  readonly nodes: readonly PlanNode[];
  readonly checkpoints: CheckpointingStatistics | undefined;
  readonly exceptions: JobExceptionsInfo | undefined;
  readonly history: ParallelismHistory | undefined;
  readonly throughput: ReadonlyMap<string, VertexThroughput>;
  readonly selected: VertexDetails | undefined;
  /** Whether the JobManager lets the UI cancel jobs (GET /config's web-cancel). */
  readonly cancelEnabled: boolean;
  readonly jobConfig: JobConfig | undefined;
  readonly checkpointDetails: CheckpointStatistics | undefined;
  readonly checkpointSubtasks: CheckpointSubtaskDetails | undefined;
}

/** Job states a cancel can still act on. */
const CANCELLABLE = new Set(['INITIALIZING', 'CREATED', 'RUNNING', 'RESTARTING', 'FAILING']);

/** The job page: summary, graph, vertices, the selected vertex's subtasks, checkpoints, exceptions and the parallelism timeline. */
export class JobView implements View {
  readonly root = h('div', { class: 'page', 'data-testid': 'job-page' }, h('p', { class: 'empty' }, 'Loading job…'));
  private readonly openTraces = new Set<string>();
  /** The checkpoint shown in detail, chosen in the history table. */
  private checkpoint: CheckpointSelection | undefined;

  constructor(
    private readonly jobId: string,
    private selectedVertexId: string | undefined,
  ) {}

  async refresh(): Promise<void> {
    let data: JobPageData;
    try {
      data = await this.load();
    } catch (error) {
      if (error instanceof RestClientError && error.isNotFound) {
        mount(this.root, h('h1', { class: 'page-title' }, 'Job not found'), empty(`The JobManager does not know job ${this.jobId}.`));
        return;
      }
      throw error;
    }
    this.render(data);
  }

  private async load(): Promise<JobPageData> {
    const base = `/jobs/${encodeURIComponent(this.jobId)}`;
    const job = await getJson<JobDetailsInfo>(base);
    const selectedId = this.selectedVertexId;
    const [plan, checkpoints, exceptions, history, throughput, selected, config, jobConfig] = await Promise.all([
      settle(getOptionalJson<{ plan: JobPlan }>(`${base}/plan`)),
      settle(getOptionalJson<CheckpointingStatistics>(`${base}/checkpoints`)),
      settle(getOptionalJson<JobExceptionsInfo>(`${base}/exceptions?maxExceptions=20`)),
      settle(getOptionalJson<ParallelismHistory>(`${base}/parallelism-history`)),
      fetchThroughput(
        this.jobId,
        job.vertices.map((vertex) => vertex.id),
      ),
      selectedId === undefined ? undefined : settle(getOptionalJson<VertexDetails>(`${base}/vertices/${encodeURIComponent(selectedId)}`)),
      settle(getJson<{ features?: Record<string, boolean> }>('/config')),
      settle(getOptionalJson<JobConfig>(`${base}/config`)),
    ]);
    const cancelEnabled = config?.features?.['web-cancel'] === true;
    const chosen = this.checkpoint;
    const detailsBase = chosen === undefined ? undefined : `${base}/checkpoints/details/${chosen.checkpointId}`;
    const [checkpointDetails, checkpointSubtasks] = await Promise.all([
      detailsBase === undefined ? undefined : settle(getOptionalJson<CheckpointStatistics>(detailsBase)),
      detailsBase === undefined || chosen?.vertexId === undefined
        ? undefined
        : settle(getOptionalJson<CheckpointSubtaskDetails>(`${detailsBase}/subtasks/${encodeURIComponent(chosen.vertexId)}`)),
    ]);
    return {
      job,
      nodes: planNodes(plan?.plan ?? job.plan, job.vertices),
      checkpoints,
      exceptions,
      history,
      throughput,
      selected,
      cancelEnabled,
      jobConfig,
      checkpointDetails,
      checkpointSubtasks,
    };
  }

  private render(data: JobPageData): void {
    const { job } = data;
    const byId = new Map(job.vertices.map((vertex) => [vertex.id, vertex]));
    const order = layoutDag(
      data.nodes.map((node) => ({ id: node.id, inputs: (node.inputs ?? []).map((input) => input.id) })),
    ).placements.map((p) => p.id);
    const vertices = [...order.flatMap((id) => byId.get(id) ?? []), ...job.vertices.filter((vertex) => !order.includes(vertex.id))];
    const select = (vertexId: string): void => this.select(vertexId);
    const selectedVertex = this.selectedVertexId === undefined ? undefined : byId.get(this.selectedVertexId);
    const endTime = job['end-time'] > 0 ? job['end-time'] : (job.now ?? Date.now());
    // The chart is drawn at the card's inner width (page width less the card's padding and border).
    const chartWidth = (this.root.clientWidth || 1200) - 34;
    mount(
      this.root,
      renderSummary(job),
      data.cancelEnabled && CANCELLABLE.has(job.state) && this.cancelButton(job.name),
      card(
        'Job Graph',
        'job-graph-card',
        data.nodes.length === 0
          ? empty('No plan yet.')
          : renderJobGraph({ nodes: data.nodes, vertices: byId, selectedVertexId: this.selectedVertexId, onSelect: select }),
      ),
      card('Vertices', 'vertices', renderVertexTable(vertices, data.throughput, this.selectedVertexId, select)),
      selectedVertex === undefined
        ? card('Subtasks', 'subtasks', empty('Select a vertex in the graph or the table to see its subtasks and TaskManagers.'))
        : renderSubtasksPanel(data.selected, selectedVertex.name),
      h('div', { class: 'two-columns' }, renderCheckpointsPanel(data.checkpoints), renderExceptionsPanel(data.exceptions, this.openTraces)),
      renderParallelismTimeline(data.history, new Map(job.vertices.map((vertex) => [vertex.id, vertex.name])), endTime, chartWidth),
      h(
        'div',
        { class: 'two-columns' },
        renderCheckpointHistory(data.checkpoints, this.checkpoint?.checkpointId, (id) =>
          this.showCheckpoint({ checkpointId: id, vertexId: undefined }),
        ),
        renderJobConfigPanel(data.jobConfig),
      ),
      this.checkpoint !== undefined &&
        renderCheckpointDetails(
          this.checkpoint,
          data.checkpointDetails,
          data.checkpointSubtasks,
          new Map(job.vertices.map((vertex) => [vertex.id, vertex.name])),
          (vertexId) => this.showCheckpoint({ checkpointId: this.checkpoint!.checkpointId, vertexId }),
        ),
    );
  }

  /** Flink's "Cancel Job": asks first, then PATCH /jobs/:id?mode=cancel; the next refresh shows the job ending. */
  private cancelButton(name: string): HTMLElement {
    const button = h('button', { class: 'cancel-job', type: 'button', 'data-testid': 'cancel-job' }, 'Cancel Job');
    button.addEventListener('click', () => {
      if (!confirm(`Cancel job ${name} (${this.jobId})?`)) return;
      button.setAttribute('disabled', '');
      patch(`/jobs/${encodeURIComponent(this.jobId)}?mode=cancel`)
        .then(() => this.refresh())
        .catch((error: unknown) => {
          button.removeAttribute('disabled');
          alert(error instanceof Error ? error.message : String(error));
        });
    });
    return h('div', { class: 'job-actions' }, button);
  }

  /** Opens a checkpoint (or one of its vertices) in the details card; choosing the open one closes it. */
  private showCheckpoint(selection: CheckpointSelection): void {
    const same = this.checkpoint?.checkpointId === selection.checkpointId && this.checkpoint.vertexId === selection.vertexId;
    this.checkpoint = same && selection.vertexId === undefined ? undefined : selection;
    this.refresh().catch(() => undefined);
  }

  /** Selecting a vertex keeps this view (no blank reload) and records the choice in the URL. */
  private select(vertexId: string): void {
    this.selectedVertexId = this.selectedVertexId === vertexId ? undefined : vertexId;
    history.replaceState(null, '', routeHref({ page: 'job', jobId: this.jobId, vertexId: this.selectedVertexId }));
    void this.refresh().catch(() => undefined);
  }
}

/** The plan's nodes; without a plan, the vertices alone (boxes without edges) so the page still shows them. */
function planNodes(plan: JobPlan | undefined, vertices: readonly JobVertexSummary[]): readonly PlanNode[] {
  if (plan !== undefined && Array.isArray(plan.nodes) && plan.nodes.length > 0) return plan.nodes;
  return vertices.map((vertex) => ({
    id: vertex.id,
    description: vertex.name,
    parallelism: vertex.parallelism,
    operator: '',
    operator_strategy: '',
    optimizer_properties: {},
  }));
}

function renderSummary(job: JobDetailsInfo): HTMLElement {
  return h(
    'section',
    { class: 'card job-summary', 'data-testid': 'job-summary' },
    h(
      'div',
      { class: 'job-title-row' },
      h('h1', { class: 'page-title', 'data-testid': 'job-name' }, job.name),
      statusBadge(job.state, 'job-state'),
    ),
    h('div', { class: 'job-id' }, job.jid),
    facts([
      ['Start Time', formatTimestamp(job['start-time']), 'job-start-time'],
      ['Duration', formatDuration(job.duration), 'job-duration'],
      ['End Time', formatTimestamp(job['end-time']), 'job-end-time'],
      ['Scheduler', job.schedulerType ?? NONE, 'job-scheduler'],
      ['Job Type', job['job-type'] ?? NONE],
      ['Max Parallelism', job.maxParallelism !== undefined && job.maxParallelism > 0 ? job.maxParallelism : NONE],
    ]),
  );
}
