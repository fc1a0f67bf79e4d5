import { backoffSeconds } from './email-sender';
import { UnsubscribeTokens } from './unsubscribe-token';

describe('UnsubscribeTokens', () => {
  const id = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
  const tokens = new UnsubscribeTokens('a'.repeat(40));

  it('verifies what it signed, and only with its own secret', () => {
    expect(tokens.verify(tokens.sign(id))).toBe(id);
    expect(new UnsubscribeTokens('b'.repeat(40)).verify(tokens.sign(id))).toBeNull();
  });

  it('refuses a changed payload, a changed signature, another purpose and junk', () => {
    const [payload, mac] = tokens.sign(id).split('.') as [string, string];
    const other = Buffer.from(
      JSON.stringify({ u: '3f2504e0-4f89-41d3-9a0c-0305e82c3302', p: 'unsubscribe' }),
    ).toString('base64url');
    expect(tokens.verify(`${other}.${mac}`)).toBeNull();
    expect(
      tokens.verify(`${payload}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`),
    ).toBeNull();
    expect(tokens.verify(`${payload}.${mac}.x`)).toBeNull();
    expect(tokens.verify('')).toBeNull();
    expect(tokens.verify('.')).toBeNull();
    // A signed value of another purpose: the same key signing {u, p: "login"} is refused.
    const login = Buffer.from(JSON.stringify({ u: id, p: 'login' })).toString('base64url');
    const forged = tokens.sign(id).replace(payload, login);
    expect(tokens.verify(forged)).toBeNull();
  });
});

describe('backoffSeconds', () => {
  it('doubles from the base and stops at six hours', () => {
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, 60))).toEqual([60, 120, 240, 480]);
    expect(backoffSeconds(30, 60)).toBe(6 * 60 * 60);
  });
});
