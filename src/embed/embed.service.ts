import { Injectable } from '@nestjs/common';
import { msg, Problem } from '../core/http/problem';
import { parseStreamUrl } from '../rooms/stream-url';
import { EmbedReader } from './embed.read';

type EmbedTarget = { topicId: string } | { roomId: string };

/**
 * What an embed may show and who may frame it. Unknown ids and rejected topics (and rooms of
 * rejected topics) are not embeddable, whatever the API says, so a committee page never shows
 * what the city turned down (RELIABILITY E5).
 */
@Injectable()
export class EmbedService {
  constructor(private readonly reader: EmbedReader) {}

  /** The origins that may frame the widget of a topic; 404 when it is not embeddable. */
  async topicOrigins(topicId: string): Promise<string[]> {
    const origins = await this.originsOf({ topicId });
    if (!origins) throw Problem.notFound('Topic');
    return origins;
  }

  /** The origins that may frame the widget of a room; 404 when it is not embeddable. */
  async roomOrigins(roomId: string): Promise<string[]> {
    const origins = await this.originsOf({ roomId });
    if (!origins) throw Problem.notFound('Room');
    return origins;
  }

  /**
   * Where a room's stream plays from when it is an HLS or MP4 address (its page's CSP must
   * allow exactly that origin); null for none, or for a framed player (YouTube, Vimeo).
   */
  async streamOrigin(roomId: string): Promise<string | null> {
    const streamUrl = await this.reader.streamUrl(roomId);
    const source = streamUrl ? parseStreamUrl(streamUrl) : null;
    return source && (source.kind === 'hls' || source.kind === 'mp4') ? source.origin : null;
  }

  /**
   * A widget's socket says which page embeds it (`auth.embed`). It may watch a topic or join
   * a room only when that origin is on the space's list (exact match) and the topic may be
   * embedded at all; otherwise `forbidden`, checked here on the server (RELIABILITY E2).
   */
  async assertSocketMayShow(origin: string, target: EmbedTarget): Promise<void> {
    const origins = await this.originsOf(target);
    if (!origins?.includes(origin)) throw Problem.forbidden(msg('embed.forbidden'));
  }

  /** The space's embed origins for an embeddable topic or room; undefined when it is not. */
  private async originsOf(target: EmbedTarget): Promise<string[] | undefined> {
    return 'topicId' in target
      ? this.reader.origins(true, target.topicId)
      : this.reader.origins(false, target.roomId);
  }
}
