import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { type Request, type Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../../core/auth/public-route';
import { AcceptsBody } from '../../core/http/body-checks';
import { type Lang, pickLang } from '../../core/http/i18n/lang';
import { MESSAGES, type MessageKey } from '../../core/http/i18n/messages';
import { Problem } from '../../core/http/problem';
import { queryRows } from '../../core/database/sql';
import { ApiDoc } from '../../core/openapi/api-doc';
import { NotificationSettingsRepository } from '../notification-settings.repository';
import { EmailSender } from './email-sender';

export class UnsubscribeQuery {
  @ApiProperty({ description: 'The signed token of the email’s List-Unsubscribe link.' })
  @IsString()
  @MaxLength(400)
  @Matches(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, { message: 'is not a token of this server' })
  token!: string;
}

/** RFC 8058: the one-click POST carries exactly this form field. */
export class OneClickDto {
  @ApiProperty({ enum: ['One-Click'] })
  @IsIn(['One-Click'])
  'List-Unsubscribe'!: 'One-Click';
}

export class UnsubscribedSchema {
  @ApiProperty({ enum: ['off'], description: 'The person’s email setting, now off.' })
  email!: 'off';
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The small page the link of an email opens: a question and a button, or the answer. */
function page(lang: Lang, body: string): string {
  const say = (key: MessageKey): string => escapeHtml(MESSAGES[key][lang]);
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${say('unsubscribe.title')} · 마당</title>
<style>body{font-family:system-ui,sans-serif;line-height:1.6;color:#1a1a1a;max-width:32rem;margin:3rem auto;padding:0 1rem;word-break:keep-all}
a{color:#1d4ed8}
button{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;cursor:pointer}
button:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}</style></head>
<body><main><h1>${say('unsubscribe.title')}</h1>
${body}
</main></body></html>
`;
}

/**
 * Unsubscribing from notification email by the link in every email: no sign-in, the signed
 * token is the authority (it names one person and can only turn their email off). `GET` shows
 * a confirmation page whose button posts; `POST` is RFC 8058's one-click, which mail clients
 * send with the form body `List-Unsubscribe=One-Click`.
 */
@ApiTags('notifications')
@Controller('unsubscribe')
export class UnsubscribeController {
  constructor(
    private readonly sender: EmailSender,
    private readonly settings: NotificationSettingsRepository,
    private readonly dataSource: DataSource,
  ) {}

  @Public()
  @Get()
  @ApiProduces('text/html')
  @ApiDoc({
    summary: 'The page an email’s unsubscribe link opens',
    description: 'A Korean (or English, by Accept-Language) page whose button sends the POST.',
    status: 200,
    problems: { 400: ['validation_failed'] },
  })
  async confirm(
    @Query() query: UnsubscribeQuery,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.personOf(query.token);
    const lang = pickLang(req.headers['accept-language']);
    const action = `?token=${encodeURIComponent(query.token)}`;
    res
      .status(200)
      .type('html')
      .setHeader('Cache-Control', 'no-store')
      .send(
        page(
          lang,
          `<p>${escapeHtml(MESSAGES['unsubscribe.confirm'][lang])}</p>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">${escapeHtml(MESSAGES['unsubscribe.button'][lang])}</button></form>`,
        ),
      );
  }

  @Public()
  @Post()
  @HttpCode(200)
  @AcceptsBody('application/x-www-form-urlencoded')
  @ApiProduces('application/json', 'text/html')
  @ApiDoc({
    summary: 'One-click unsubscribe (RFC 8058): turns the person’s email off',
    description:
      'Form-encoded `List-Unsubscribe=One-Click`, the token in the query. Idempotent. A browser ' +
      '(Accept: text/html, the confirmation page’s button) gets a page back.',
    status: 200,
    type: UnsubscribedSchema,
    alternative: { mediaType: 'text/html', description: 'The page saying it is done.' },
    problems: { 400: ['validation_failed'] },
  })
  async oneClick(
    @Query() query: UnsubscribeQuery,
    @Body() _body: OneClickDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const userId = await this.personOf(query.token);
    await this.settings.merge(
      userId,
      { email: 'off', types: {}, followOnComment: null, language: null },
      'daily',
    );
    if (req.accepts(['json', 'html']) === 'html') {
      const lang = pickLang(req.headers['accept-language']);
      res
        .status(200)
        .type('html')
        .setHeader('Cache-Control', 'no-store')
        .send(
          page(
            lang,
            `<p role="status">${escapeHtml(MESSAGES['unsubscribe.done'][lang])}</p>
<p><a href="/me/notification-settings">${escapeHtml(MESSAGES['email.footer.settings'][lang])}</a></p>`,
          ),
        );
      return;
    }
    res.status(200).json({ email: 'off' });
  }

  /** The person the token names; a forged token, or one of a deleted account, is `token` 400. */
  private async personOf(token: string): Promise<string> {
    const userId = this.sender.verifyUnsubscribe(token);
    const exists =
      userId !== null &&
      (
        await queryRows<{ id: string }>(
          this.dataSource.manager,
          `SELECT id FROM users WHERE id = $1`,
          [userId],
        )
      ).length === 1;
    if (!exists || !userId) throw Problem.field('token', 'invalid');
    return userId;
  }
}
