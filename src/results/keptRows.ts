// A result's decoded rows seen through views (view.ts), a cell read as Postgres's text of it: the
// rows the runtime's thread keeps past the cell output (src/fdw/host/worker.ts), and those of a
// result the extension holds whole (src/notebook/controller.ts).
import type { Column } from '../fdw/db/protocol.js';
import { chartRows, type ChartColumns, type ChartRows } from './chartRows.js';
import { pgText } from './valueText.js';
import type { CellText, ColumnValues, GridView } from './view.js';
import { ViewCache } from './viewOrder.js';

/** Rows [offset, offset + count) of a view, and how many rows the view has. */
export interface ViewPage {
  rows: unknown[][];
  total: number;
}

/** A result's rows seen through views, wherever they are kept. */
export interface ViewableRows {
  /** Rows of the whole result. */
  readonly total: number;
  page(view: GridView, offset: number, count: number): Promise<ViewPage>;
  values(view: GridView, column: number, limit: number): Promise<ColumnValues>;
  /** What a chart of these columns is drawn from, read from every row. */
  chart(columns: ChartColumns): Promise<ChartRows>;
}

export class KeptRows implements ViewableRows {
  private readonly views: ViewCache;
  private readonly cell: CellText;

  constructor(
    private readonly rows: unknown[][],
    columns: readonly Pick<Column, 'name' | 'type'>[],
  ) {
    this.cell = (r, c) => pgText(rows[r]![c], columns[c]!.type);
    this.views = new ViewCache(rows.length, columns, this.cell);
  }

  get total(): number {
    return this.rows.length;
  }

  async page(view: GridView, offset: number, count: number): Promise<ViewPage> {
    const { rows, total } = this.views.page(view, offset, count);
    return { rows: Array.from(rows, (r) => this.rows[r]!), total };
  }

  async values(view: GridView, column: number, limit: number): Promise<ColumnValues> {
    return this.views.values(view, column, limit);
  }

  async chart(columns: ChartColumns): Promise<ChartRows> {
    return chartRows(this.rows.length, this.cell, columns);
  }
}
