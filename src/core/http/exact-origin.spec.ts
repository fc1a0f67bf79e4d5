import { isExactOrigin } from './exact-origin';

describe('isExactOrigin', () => {
  it.each([
    'https://city.example',
    'http://localhost:8080',
    'https://sub.city.example:8443',
    'http://127.0.0.2:3001',
  ])('accepts %s', (origin) => expect(isExactOrigin(origin)).toBe(true));

  it.each([
    'https://city.example/',
    'https://city.example/path',
    'https://city.example?x=1',
    'https://*.city.example',
    '*',
    'null',
    'city.example',
    'ftp://city.example',
    'https://user:pw@city.example',
    'https://CITY.example',
    'https://city.example:443',
    'javascript:alert(1)',
    '',
  ])('refuses %s', (origin) => expect(isExactOrigin(origin)).toBe(false));
});
