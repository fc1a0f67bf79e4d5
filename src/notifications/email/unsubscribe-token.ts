import { isUuid } from '../../core/uuid';
import { createHmac, timingSafeEqual } from 'node:crypto';

const PURPOSE = 'unsubscribe';

/**
 * The token of an email's unsubscribe link: the person's id and the purpose, signed with an
 * HMAC-SHA256 of the server secret. It carries no expiry on purpose — an unsubscribe link in an
 * old email must keep working — and it can do one thing only (turn that person's email off), so
 * the purpose is signed too: no other signed value of this server can pass for it.
 */
export class UnsubscribeTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    // A key of its own, derived from the secret, so these signatures never equal a JWT's.
    this.key = createHmac('sha256', secret).update('madang:email-unsubscribe').digest();
  }

  sign(userId: string): string {
    const payload = Buffer.from(JSON.stringify({ u: userId, p: PURPOSE })).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The person's id when the token is one this server signed for unsubscribing; else null. */
  verify(token: string): string | null {
    const [payload, mac, ...rest] = token.split('.');
    if (!payload || !mac || rest.length > 0) return null;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        u?: unknown;
        p?: unknown;
      };
      return body.p === PURPOSE && typeof body.u === 'string' && isUuid(body.u) ? body.u : null;
    } catch {
      return null;
    }
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
