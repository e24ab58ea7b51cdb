import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MediaUnavailable } from './connector';
import { fetchMediaOver, fetchPublicMedia } from './media.fetch';

let server: Server;
let base = '';
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    if (req.url === '/hop') return void res.writeHead(302, { location: '/image.png' }).end();
    if (req.url === '/away') return void res.writeHead(302, { location: 'https://elsewhere.example/x.png' }).end();
    if (req.url === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    if (req.url === '/chunked') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(Buffer.alloc(600));
      return void res.end(Buffer.alloc(600));
    }
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': '4' }).end(Buffer.from([1, 2, 3, 4]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const ours = (url: URL) => (url.origin === base ? 'trusted' : 'refused');
const read = async (body: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

describe('fetching platform media', () => {
  it('follows a redirect, signing every hop anew', async () => {
    const signed: string[] = [];
    const media = await fetchMediaOver(`${base}/hop`, { policy: ours, headersFor: (url) => (signed.push(url.pathname), { authorization: `sig ${url.pathname}` }) });
    expect(media).toMatchObject({ contentType: 'image/png', contentLength: 4 });
    expect([...(await read(media.body))]).toEqual([1, 2, 3, 4]);
    expect(signed).toEqual(['/hop', '/image.png']);
  });

  it('checks every redirect against the policy, and gives up on redirect loops', async () => {
    const away = await fetchMediaOver(`${base}/away`, { policy: ours }).catch((error: unknown) => error);
    expect(away).toBeInstanceOf(MediaUnavailable);
    expect(away).toMatchObject({ reason: 'refused', message: expect.stringMatching(/elsewhere\.example/) as string });
    await expect(fetchMediaOver(`${base}/loop`, { policy: ours })).rejects.toMatchObject({ reason: 'upstream', message: expect.stringMatching(/redirected .* too often/) as string });
  });

  it('fails the stream once a body without a length passes the cap', async () => {
    const media = await fetchMediaOver(`${base}/chunked`, { policy: ours, maxBytes: 1_000 });
    expect(media.contentLength).toBeUndefined();
    await expect(read(media.body)).rejects.toMatchObject({ reason: 'too_large' });
  });

  it('never reaches a private address for a plain fetch, nor a URL that is not http(s)', async () => {
    const before = seen.length;
    await expect(fetchPublicMedia(`${base}/image.png`)).rejects.toMatchObject({ message: expect.stringMatching(/not allowed/) as string });
    await expect(fetchPublicMedia('file:///etc/passwd')).rejects.toMatchObject({ reason: 'refused' });
    expect(seen.length).toBe(before);
  });
});
