import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { askColumns, memoryColumns } from '../../../../src/ui/memories/columns';

// Each column's cells take their width from a CSS variable the table sets (`--col-<id>`), through
// one rule per column in memoryTable.css. A column without its rule would shrink to its content and
// leave the header and the rows misaligned.
const css = readFileSync(
  new URL('../../../../src/ui/memories/memoryTable.css', import.meta.url),
  'utf8',
);

const idOf = (column: { id?: string; accessorKey?: unknown }) =>
  column.id ?? String(column.accessorKey);

describe('memory table column widths', () => {
  const ids = [...new Set([...memoryColumns, ...askColumns].map(idOf))];

  it('knows every column of the plain and the ranked table', () => {
    expect(ids).toEqual(expect.arrayContaining(['select', 'content', 'rank', 'conversation']));
  });

  it.each(ids)('gives the %s column its width variable', (id) => {
    expect(css).toContain(`.memory-table .col-${id} {\n  width: var(--col-${id});\n}`);
  });
});
