import { layoutDag, type DagPlacement } from './dag-layout.js';
import { h, s } from './dom.js';
import type { JobVertexSummary, PlanNode } from '../rest/types/responses.js';

const NODE_W = 240;
const NODE_H = 92;
const COL_GAP = 120;
const ROW_GAP = 36;
const PAD = 16;
const CHARS_PER_LINE = 32;

/** What the graph needs to draw: the plan's nodes and, when known, each vertex's live summary. */
export interface JobGraphInput {
  readonly nodes: readonly PlanNode[];
  readonly vertices: ReadonlyMap<string, JobVertexSummary>;
  readonly selectedVertexId: string | undefined;
  readonly onSelect: (vertexId: string) => void;
}

interface Box {
  readonly x: number;
  readonly y: number;
}

/** Draws the job graph as inline SVG: one box per vertex in topological order, edges labelled with their ship strategy. */
export function renderJobGraph(input: JobGraphInput): HTMLElement {
  const layout = layoutDag(input.nodes.map((node) => ({ id: node.id, inputs: (node.inputs ?? []).map((edge) => edge.id) })));
  const boxes = new Map(
    layout.placements.map((placement) => [placement.id, boxOf(placement, layout.rows, rowsIn(layout.placements, placement.column))]),
  );
  const width = PAD * 2 + layout.columns * NODE_W + Math.max(0, layout.columns - 1) * COL_GAP;
  const height = PAD * 2 + layout.rows * NODE_H + Math.max(0, layout.rows - 1) * ROW_GAP;
  const nodesById = new Map(input.nodes.map((node) => [node.id, node]));
  const edges = input.nodes.flatMap((node) =>
    (node.inputs ?? []).flatMap((edge) => {
      const from = boxes.get(edge.id);
      const to = boxes.get(node.id);
      return from === undefined || to === undefined ? [] : [renderEdge(from, to, edge.ship_strategy ?? '')];
    }),
  );
  const boxesSvg = layout.placements.map((placement) => renderNode(nodesById.get(placement.id)!, boxes.get(placement.id)!, input));
  const svg = s(
    'svg',
    {
      class: 'job-graph',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': 'Job graph',
      'data-testid': 'job-graph',
    },
    s(
      'defs',
      {},
      s(
        'marker',
        { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' },
        s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'edge-arrow' }),
      ),
    ),
    edges,
    boxesSvg,
  );
  return h('div', { class: 'graph-scroll' }, svg);
}

function rowsIn(placements: readonly DagPlacement[], column: number): number {
  return placements.filter((placement) => placement.column === column).length;
}

/** Columns with fewer vertices are centred against the tallest one. */
function boxOf(placement: DagPlacement, totalRows: number, rowsInColumn: number): Box {
  const offset = ((totalRows - rowsInColumn) * (NODE_H + ROW_GAP)) / 2;
  return { x: PAD + placement.column * (NODE_W + COL_GAP), y: PAD + offset + placement.row * (NODE_H + ROW_GAP) };
}

function renderEdge(from: Box, to: Box, shipStrategy: string): SVGElement {
  const x1 = from.x + NODE_W;
  const y1 = from.y + NODE_H / 2;
  const x2 = to.x - 2;
  const y2 = to.y + NODE_H / 2;
  const bend = (x2 - x1) / 2;
  const midX = (x1 + x2) / 2;
  const midY = (y1 + y2) / 2;
  const labelWidth = Math.max(44, shipStrategy.length * 7.2 + 12);
  return s(
    'g',
    { class: 'edge', 'data-testid': 'graph-edge', 'data-ship-strategy': shipStrategy },
    s('path', {
      d: `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`,
      class: 'edge-line',
      'marker-end': 'url(#arrow)',
    }),
    shipStrategy !== '' && [
      s('rect', { x: midX - labelWidth / 2, y: midY - 10, width: labelWidth, height: 20, rx: 10, class: 'edge-label-bg' }),
      s('text', { x: midX, y: midY + 4, 'text-anchor': 'middle', class: 'edge-label' }, shipStrategy),
    ],
  );
}

function renderNode(node: PlanNode, box: Box, input: JobGraphInput): SVGElement {
  const vertex = input.vertices.get(node.id);
  const name = vertex?.name ?? node.description ?? node.operator ?? node.id;
  const parallelism = vertex?.parallelism ?? node.parallelism;
  const status = vertex?.status ?? 'UNKNOWN';
  const selected = input.selectedVertexId === node.id;
  const lines = wrap(name, CHARS_PER_LINE, 2);
  return s(
    'g',
    {
      class: `graph-node${selected ? ' selected' : ''}`,
      transform: `translate(${box.x} ${box.y})`,
      tabindex: 0,
      'data-testid': 'graph-node',
      'data-vertex-id': node.id,
      'data-parallelism': parallelism,
      'data-status': status,
      onclick: () => input.onSelect(node.id),
      onkeydown: (event) => {
        if ((event as KeyboardEvent).key === 'Enter') input.onSelect(node.id);
      },
    },
    s('title', {}, name),
    s('rect', { width: NODE_W, height: NODE_H, rx: 8, class: 'node-box' }),
    s('rect', { width: 6, height: NODE_H, rx: 3, class: `node-stripe status-${status.toLowerCase()}` }),
    lines.map((line, i) => s('text', { x: 16, y: 22 + i * 16, class: 'node-name' }, line)),
    s('text', { x: 16, y: NODE_H - 28, class: 'node-parallelism', 'data-testid': 'graph-node-parallelism' }, `Parallelism: ${parallelism}`),
    s('text', { x: 16, y: NODE_H - 11, class: `node-status status-text-${status.toLowerCase()}` }, status),
  );
}

/** Breaks a vertex name into at most `maxLines` lines at spaces, ending with an ellipsis if it is cut. */
function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (candidate.length <= width || current === '') current = candidate;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current !== '') lines.push(current);
  const kept = lines.slice(0, maxLines).map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
  if (lines.length > maxLines) kept[maxLines - 1] = `${kept[maxLines - 1]!.slice(0, width - 1)}…`;
  return kept;
}
