/**
 * A room's stream (`settings.streamUrl`): a YouTube or Vimeo link, or the address of an HLS
 * (`.m3u8`) or MP4 (`.mp4`) stream. Dependency-free: the server validates with it and sets
 * the page's Content-Security-Policy from it, the browser client builds its player with it.
 */
export type StreamSource =
  | { kind: 'youtube' | 'vimeo'; id: string; embedUrl: string }
  | { kind: 'hls' | 'mp4'; url: string; origin: string };

/** The only hosts a stream player is framed from (CSP `frame-src`). */
export const STREAM_FRAME_ORIGINS = [
  'https://www.youtube-nocookie.com',
  'https://player.vimeo.com',
] as const;

export const STREAM_URL_MAX = 2000;

const YOUTUBE_HOSTS = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com']);
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const VIMEO_ID = /^\d{1,12}$/;
// Plain http only for this machine (a local encoder or a test); anything else must be https.
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function youtubeId(url: URL): string | null {
  if (url.hostname === 'youtu.be') return url.pathname.slice(1);
  if (!YOUTUBE_HOSTS.has(url.hostname)) return null;
  if (url.pathname === '/watch') return url.searchParams.get('v');
  const path = /^\/(?:live|embed|shorts)\/([^/]+)$/.exec(url.pathname);
  return path?.[1] ?? null;
}

function vimeoId(url: URL): string | null {
  if (url.hostname === 'vimeo.com' || url.hostname === 'www.vimeo.com')
    return /^\/(\d+)$/.exec(url.pathname)?.[1] ?? null;
  if (url.hostname === 'player.vimeo.com')
    return /^\/video\/(\d+)$/.exec(url.pathname)?.[1] ?? null;
  return null;
}

/** What a stream address plays, or null when it is none of the accepted kinds. */
export function parseStreamUrl(value: string): StreamSource | null {
  if (value.length > STREAM_URL_MAX) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  const secure = url.protocol === 'https:';
  if (!secure && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return null;
  const yt = secure ? youtubeId(url) : null;
  if (yt !== null)
    return YOUTUBE_ID.test(yt)
      ? { kind: 'youtube', id: yt, embedUrl: `${STREAM_FRAME_ORIGINS[0]}/embed/${yt}` }
      : null;
  const vimeo = secure ? vimeoId(url) : null;
  if (vimeo !== null)
    return VIMEO_ID.test(vimeo)
      ? { kind: 'vimeo', id: vimeo, embedUrl: `${STREAM_FRAME_ORIGINS[1]}/video/${vimeo}` }
      : null;
  const path = url.pathname.toLowerCase();
  if (path.endsWith('.m3u8')) return { kind: 'hls', url: url.href, origin: url.origin };
  if (path.endsWith('.mp4')) return { kind: 'mp4', url: url.href, origin: url.origin };
  return null;
}
