// Maps keyed by a table's qualified name, taken and given back as values ({ schema, name }): no
// caller joins a schema and a name into a string or splits one again (a quoted name may hold a
// dot).

export interface QualifiedName {
  schema: string;
  name: string;
}

export class TableMap<V> {
  private readonly entries = new Map<string, { table: QualifiedName; value: V }>();

  private static id(t: QualifiedName): string {
    return JSON.stringify([t.schema, t.name]);
  }

  get size(): number {
    return this.entries.size;
  }

  get(t: QualifiedName): V | undefined {
    return this.entries.get(TableMap.id(t))?.value;
  }

  has(t: QualifiedName): boolean {
    return this.entries.has(TableMap.id(t));
  }

  set(t: QualifiedName, value: V): this {
    this.entries.set(TableMap.id(t), { table: { schema: t.schema, name: t.name }, value });
    return this;
  }

  delete(t: QualifiedName): boolean {
    return this.entries.delete(TableMap.id(t));
  }

  clear(): void {
    this.entries.clear();
  }

  *[Symbol.iterator](): IterableIterator<[QualifiedName, V]> {
    for (const { table, value } of this.entries.values()) yield [table, value];
  }

  *keys(): IterableIterator<QualifiedName> {
    for (const { table } of this.entries.values()) yield table;
  }
}
