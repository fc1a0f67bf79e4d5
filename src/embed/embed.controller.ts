import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type Response } from 'express';
import { allowMedia, WebClient } from '../core/http/web-client';
import { UuidParam } from '../core/http/validation';
import { Public } from '../identity/auth/auth.decorators';
import { EmbedService } from './embed.service';

/**
 * The embed: the loader script, the widget pages and the sign-in popup. Every other page
 * says `frame-ancestors 'none'`; a widget page says exactly its space's embed origins
 * (`'none'` when the space has none), so only the committee pages the city listed can frame it.
 * With `?preview=1` Madang's own pages may frame it too (`'self'`): the back office shows the
 * widget beside its snippet. That widens nothing for anyone else, and the plain URL, the one the
 * loader puts on committee pages, keeps exactly the allowlist.
 */
/** Who may frame a widget: the space's origins, and Madang itself for the back office's preview. */
const framers = (origins: string[], preview: unknown): string[] =>
  preview === '1' ? ["'self'", ...origins] : origins;

@ApiExcludeController()
@Controller()
export class EmbedController {
  constructor(
    private readonly embed: EmbedService,
    private readonly web: WebClient,
  ) {}

  @Public()
  @Get('embed/topics/:id')
  async topic(
    @UuidParam('id') id: string,
    @Query('preview') preview: unknown,
    @Res() res: Response,
  ): Promise<void> {
    this.sendWidget(res, framers(await this.embed.topicOrigins(id), preview));
  }

  @Public()
  @Get('embed/rooms/:id')
  async room(
    @UuidParam('id') id: string,
    @Query('preview') preview: unknown,
    @Res() res: Response,
  ): Promise<void> {
    this.sendWidget(
      res,
      framers(await this.embed.roomOrigins(id), preview),
      await this.embed.streamOrigin(id),
    );
  }

  /**
   * The popup a widget opens to sign in. It keeps its opener (the widget, on this origin) so
   * it can hand the token back by postMessage; framing it is refused like any other page.
   */
  @Public()
  @Get('embed/signin')
  signIn(@Res() res: Response): void {
    res.setHeader('Cross-Origin-Opener-Policy', 'unsafe-none');
    this.web.send(res, 'widget.html');
  }

  /** The loader runs on committee pages, so it must be loadable cross-site. */
  @Public()
  @Get('embed.js')
  @Header('Cross-Origin-Resource-Policy', 'cross-origin')
  @Header('Cache-Control', 'public, max-age=300')
  loader(@Res() res: Response): void {
    const script = this.web.page('embed.js');
    if (script === null) {
      res.status(503).type('text/plain').send('The web client is not built.');
      return;
    }
    res.type('application/javascript').send(script);
  }

  private sendWidget(res: Response, origins: string[], mediaOrigin: string | null = null): void {
    const ancestors = origins.length > 0 ? origins.join(' ') : "'none'";
    const csp = String(res.getHeader('Content-Security-Policy') ?? "frame-ancestors 'none'");
    const framed = csp.replace(/frame-ancestors [^;]*/, `frame-ancestors ${ancestors}`);
    res.setHeader(
      'Content-Security-Policy',
      mediaOrigin ? allowMedia(framed, mediaOrigin) : framed,
    );
    // CSP frame-ancestors is the rule; X-Frame-Options cannot express an allowlist.
    res.removeHeader('X-Frame-Options');
    this.web.send(res, 'widget.html');
  }
}
