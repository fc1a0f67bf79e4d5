import { useT } from '../../shared/i18n';
import { CredentialFields, Form, raw, text } from '../../shared/ui';
import { Link } from '../app';
import { announce, session } from '../context';
import { navigate, nextPath } from '../router';

export function AuthPage({ mode }: { mode: 'signin' | 'register' }) {
  const t = useT();
  const register = mode === 'register';
  return (
    <section class="narrow">
      <h1>{register ? t('register') : t('signIn')}</h1>
      <Form
        label={register ? t('register') : t('signIn')}
        onSubmit={async (data) => {
          const user = register
            ? await session.register(
                text(data, 'email'),
                raw(data, 'password'),
                text(data, 'displayName'),
              )
            : await session.signIn(text(data, 'email'), raw(data, 'password'));
          announce(user.displayName);
          navigate(nextPath());
        }}
      >
        <CredentialFields newPassword={register} />
        {register && (
          <>
            <label for="displayName">{t('displayName')}</label>
            <input id="displayName" name="displayName" required maxLength={50} />
          </>
        )}
        <button type="submit">{register ? t('register') : t('signIn')}</button>
      </Form>
      <p>
        {register ? (
          <Link href="/signin">{t('signIn')}</Link>
        ) : (
          <Link href="/register">{t('register')}</Link>
        )}
      </p>
    </section>
  );
}
