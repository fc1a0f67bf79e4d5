import { csvField, csvHeader, csvRecord, jsonRecord } from './csv';
import { type Column } from './datasets';

const text: Column = { name: 'body', type: 'text', nullable: true, description: '' };
const int: Column = { name: 'n', type: 'integer', nullable: false, description: '' };
const tags: Column = { name: 'tags', type: 'text[]', nullable: false, description: '' };
const at: Column = { name: 'at', type: 'timestamp', nullable: true, description: '' };

describe('CSV fields', () => {
  it('writes plain values as they are, Korean included', () => {
    expect(csvField(text, '공원을 늘려 주세요')).toBe('공원을 늘려 주세요');
    expect(csvField(int, 42)).toBe('42');
    expect(csvField(int, -3)).toBe('-3');
  });

  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvField(text, 'a, b')).toBe('"a, b"');
    expect(csvField(text, 'say "네"')).toBe('"say ""네"""');
    expect(csvField(text, 'line one\nline two')).toBe('"line one\nline two"');
    expect(csvField(text, 'cr\r\nlf')).toBe('"cr\r\nlf"');
    expect(csvField(text, ' padded ')).toBe('" padded "');
  });

  it('leaves empty cells for nulls and joins arrays with ;', () => {
    expect(csvField(text, null)).toBe('');
    expect(csvField(tags, ['공원', 'green space'])).toBe('공원;green space');
    expect(csvField(tags, [])).toBe('');
  });

  it('writes timestamps in ISO 8601 UTC', () => {
    expect(csvField(at, new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)))).toBe(
      '2026-01-02T03:04:05.006Z',
    );
  });

  it('defuses text that a spreadsheet would run as a formula', () => {
    expect(csvField(text, '=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField(text, '+1')).toBe("'+1");
    expect(csvField(text, '-1')).toBe("'-1");
    expect(csvField(text, '@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(text, 'a=b')).toBe('a=b');
  });

  it('makes CRLF-terminated records and headers in column order', () => {
    expect(csvHeader([text, int])).toBe('body,n\r\n');
    expect(csvRecord([text, int], { n: 1, body: 'x,y' })).toBe('"x,y",1\r\n');
  });
});

describe('JSON records', () => {
  it('keeps the text unchanged, with the same names and ISO dates', () => {
    expect(
      JSON.parse(
        jsonRecord([text, int, at, tags], {
          body: '=1+1',
          n: 2,
          at: new Date(Date.UTC(2026, 0, 1)),
          tags: ['a'],
        }),
      ),
    ).toEqual({ body: '=1+1', n: 2, at: '2026-01-01T00:00:00.000Z', tags: ['a'] });
  });
});
