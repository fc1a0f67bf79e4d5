import { useT } from '../../shared/i18n';
import { CredentialFields, Form, raw, text, usePageTitle } from '../../shared/ui';
import { Link } from '../app';
import { announce, session } from '../context';
import { navigate, nextPath } from '../router';

export function AuthPage({ mode }: { mode: 'signin' | 'register' }) {
  const t = useT();
  const register = mode === 'register';
  const title = register ? t('register') : t('signIn');
  usePageTitle(title);
  // Both pages keep where the person came from, so they return there after either one.
  const next = nextPath();
  const carry = next !== '/' ? `?next=${encodeURIComponent(next)}` : '';
  return (
    <section class="card" style={{ maxWidth: '28rem', margin: '0 auto' }}>
      <h1>{title}</h1>
      <Form
        label={title}
        onSubmit={async (data) => {
          const user = register
            ? await session.register(
                text(data, 'email'),
                raw(data, 'password'),
                text(data, 'displayName'),
              )
            : await session.signIn(text(data, 'email'), raw(data, 'password'));
          announce(user.displayName);
          navigate(next);
        }}
      >
        <CredentialFields newPassword={register} />
        {register && (
          <>
            <label for="displayName">{t('displayName')}</label>
            <input
              id="displayName"
              name="displayName"
              required
              maxLength={50}
              autoComplete="nickname"
            />
          </>
        )}
        <button type="submit" class="primary">
          {title}
        </button>
      </Form>
      <p class="muted small" style={{ marginTop: '1rem' }}>
        {register ? t('signInPrompt') : t('registerPrompt')}{' '}
        <Link href={`${register ? '/signin' : '/register'}${carry}`}>
          {register ? t('signIn') : t('register')}
        </Link>
      </p>
    </section>
  );
}
