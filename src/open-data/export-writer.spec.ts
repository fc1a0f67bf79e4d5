import express from 'express';
import { get, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { createLogger } from '../core/logging/logger';
import { type Row } from './csv';
import { type Dataset } from './datasets';
import { ExportWriter } from './export-writer';

const DATASET: Dataset = {
  name: 'numbers',
  title: 'Numbers',
  description: '',
  columns: [
    { name: 'n', type: 'integer', nullable: false, description: '' },
    { name: 'text', type: 'text', nullable: false, description: '' },
  ],
};

/** Batches of 100 rows of 1 KB each, counting how many were made and whether it was closed. */
function source(batches: number, failAt?: number, onBatch?: () => void) {
  const state = { made: 0, finished: false };
  async function* generate(): AsyncGenerator<Row[]> {
    try {
      for (let b = 0; b < batches; b++) {
        if (b === failAt) throw new Error('the database went away');
        onBatch?.();
        state.made++;
        yield Array.from({ length: 100 }, (_, i) => ({ n: b * 100 + i, text: 'x'.repeat(1024) }));
      }
    } finally {
      state.finished = true;
    }
  }
  return { state, batches: generate() };
}

/** A real HTTP server whose one route streams `batches` as CSV through the writer. */
async function serve(
  batches: AsyncGenerator<Row[]>,
): Promise<{ server: Server; url: string; responses: express.Response[] }> {
  const writer = new ExportWriter(createLogger('silent'));
  const app = express();
  const responses: express.Response[] = [];
  app.get('/export', (_req, res) => {
    responses.push(res);
    void writer.send(res, DATASET, 'csv', batches);
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/export`;
  return { server, url, responses };
}

const until = async (check: () => boolean, ms = 5000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('ExportWriter', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  it('reads no further ahead than the client reads, and stops when the client leaves', async () => {
    const { state, batches } = source(1000); // 100 MB if it all were read
    const served = await serve(batches);
    server = served.server;
    const response = await new Promise<IncomingMessage>((resolve) => get(served.url, resolve));
    response.pause();
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Socket buffers hold a few batches; the rest waits for the reader.
    expect(state.made).toBeGreaterThan(0);
    expect(state.made).toBeLessThan(100);
    response.destroy();
    await until(() => state.finished);
    expect(state.made).toBeLessThan(100);
  });

  it('cuts the transfer off when a batch fails part-way, so it never looks complete', async () => {
    const { state, batches } = source(10, 3);
    const served = await serve(batches);
    server = served.server;
    const outcome = await new Promise<{ aborted: boolean; bytes: number }>((resolve) => {
      get(served.url, (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('aborted', () => resolve({ aborted: true, bytes }));
        response.on('end', () => resolve({ aborted: false, bytes }));
      });
    });
    expect(outcome.aborted).toBe(true);
    expect(outcome.bytes).toBeGreaterThan(0);
    expect(state.made).toBe(3);
    expect(state.finished).toBe(true);
  });

  it('waits for the reader many times without piling up listeners', async () => {
    let responses: express.Response[] = [];
    let most = 0;
    // 20 MB: the socket fills again and again; between batches, the listeners are counted.
    const { state, batches } = source(200, undefined, () => {
      most = Math.max(most, responses[0]?.listenerCount('close') ?? 0);
    });
    const served = await serve(batches);
    responses = served.responses;
    server = served.server;
    const bytes = await new Promise<number>((resolve) => {
      get(served.url, (response) => {
        let total = 0;
        response.on('data', (chunk: Buffer) => (total += chunk.length));
        response.on('end', () => resolve(total));
      });
    });
    expect(bytes).toBeGreaterThan(200 * 100 * 1024);
    expect(state).toEqual({ made: 200, finished: true });
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThan(5);
  });

  it('writes every batch and ends the file when all goes well', async () => {
    const { state, batches } = source(5);
    const served = await serve(batches);
    server = served.server;
    const text = await new Promise<string>((resolve) => {
      get(served.url, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(body));
      });
    });
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('\uFEFFn,text');
    expect(lines.slice(1, -1)).toHaveLength(500);
    expect(lines.at(-1)).toBe('');
    expect(state).toEqual({ made: 5, finished: true });
  });
});
