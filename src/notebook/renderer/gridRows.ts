// Where the grid's rows come from, through a view (results/view.ts): the output's own rows, when
// they are the whole result or the rest cannot be had; else the extension, which asks wherever the
// result is kept (renderer messaging, a reply matched to its request by number).
import { chartRows, type ChartColumns, type ChartRows } from '../../results/chartRows.js';
import type { ExtensionMessage, RendererMessage, ResultPayload } from '../../results/payload.js';
import type { ColumnValues, GridView } from '../../results/view.js';
import { ViewCache } from '../../results/viewOrder.js';

export interface GridRows {
  /** Rows [offset, offset + count) of the view, and how many it has. */
  page(view: GridView, offset: number, count: number): Promise<{ rows: ResultPayload['rows']; total: number }>;
  values(view: GridView, column: number, limit: number): Promise<ColumnValues>;
  /** What a chart of these columns is drawn from, read from every row: at once when they are here. */
  chart(columns: ChartColumns): ChartRows | Promise<ChartRows>;
}

export interface Messaging {
  postMessage(message: unknown): void;
  onDidReceiveMessage(listener: (message: unknown) => void): { dispose(): void };
}

/** The output's rows, viewed here. */
export function outputRows(p: ResultPayload): GridRows {
  const views = new ViewCache(p.rows.length, p.columns, (r, c) => p.rows[r]![c] ?? null);
  return {
    async page(view, offset, count) {
      const { rows, total } = views.page(view, offset, count);
      return { rows: Array.from(rows, (r) => p.rows[r]!), total };
    },
    async values(view, column, limit) {
      return views.values(view, column, limit);
    },
    chart(columns) {
      return chartRows(p.rows.length, (r, c) => p.rows[r]![c] ?? null, columns);
    },
  };
}

/** Requests to the extension, one listener for all the outputs of this renderer. */
export class Requests {
  private next = 1;
  private readonly waiting = new Map<number, { resolve(m: ExtensionMessage): void; reject(e: Error): void }>();

  constructor(private readonly messaging: Messaging) {
    messaging.onDidReceiveMessage((message) => {
      const m = message as ExtensionMessage;
      const w = this.waiting.get(m?.request);
      if (!w) return;
      this.waiting.delete(m.request);
      if (m.type === 'failed') w.reject(new Error(m.message));
      else w.resolve(m);
    });
  }

  /** Sends a request (numbered here) and resolves with its reply. */
  ask<T extends ExtensionMessage['type']>(request: DistributiveOmit<Extract<RendererMessage, { request: number; type: T }>, 'request'>) {
    const id = this.next++;
    return new Promise<Extract<ExtensionMessage, { type: T }>>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (m: ExtensionMessage) => void, reject });
      this.messaging.postMessage({ ...request, request: id });
    });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A kept result's rows, viewed where they are kept. */
export function keptRows(requests: Requests, resultId: string): GridRows {
  return {
    async page(view, offset, count) {
      const { rows, total } = await requests.ask<'viewPage'>({ type: 'viewPage', resultId, view, offset, count });
      return { rows, total };
    },
    async values(view, column, limit) {
      const { values, distinct } = await requests.ask<'columnValues'>({ type: 'columnValues', resultId, view, column, limit });
      return { values, distinct };
    },
    async chart(columns) {
      const { rows, total, drawn, omitted } = await requests.ask<'chartRows'>({ type: 'chartRows', resultId, columns });
      return { rows, total, drawn, omitted };
    },
  };
}
