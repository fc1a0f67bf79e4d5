import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASETS } from './datasets';

/** The column tables of docs/open-data.md, by dataset name. */
function documented(): Map<string, string[][]> {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'open-data.md'), 'utf8');
  const tables = new Map<string, string[][]>();
  let current: string[][] | undefined;
  for (const line of doc.split('\n')) {
    const heading = /^### `([a-z-]+)`/.exec(line);
    if (heading) {
      current = [];
      tables.set(heading[1]!, current);
      continue;
    }
    if (line.startsWith('## ')) current = undefined;
    const cells = /^\| `([a-z_]+)` +\|(.*)\|$/.exec(line);
    if (current && cells) {
      current.push([cells[1]!, ...cells[2]!.split('|').map((c) => c.trim())]);
    }
  }
  return tables;
}

describe('docs/open-data.md', () => {
  it('documents every dataset, and only those', () => {
    expect([...documented().keys()]).toEqual(DATASETS.map((d) => d.name));
  });

  it.each(DATASETS.map((d) => [d.name, d] as const))(
    'lists the columns of %s in order, with their types, emptiness and meaning',
    (_name, dataset) => {
      expect(documented().get(dataset.name)).toEqual(
        dataset.columns.map((c) => [
          c.name,
          c.type,
          c.nullable ? 'may be' : 'never',
          c.description,
        ]),
      );
    },
  );
});
