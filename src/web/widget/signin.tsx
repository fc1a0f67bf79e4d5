import { useT } from '../shared/i18n';
import { SessionStore } from '../shared/session';
import { CredentialFields, Form, raw, text } from '../shared/ui';
import { TOKEN_MESSAGE, type TokenMessage } from './messages';

/**
 * The popup a widget opens to sign in. It is a top-level page of this server, so the
 * password is typed on this origin, never inside someone else's page. The token goes back
 * only to the window that opened it, and only if that window is on this same origin (the
 * widget iframe is); a popup opened from anywhere else delivers nothing.
 */
export function SignInPopup() {
  const t = useT();
  const session = new SessionStore(null);
  return (
    <main class="narrow">
      <h1>
        {t('appName')} — {t('signIn')}
      </h1>
      <Form
        label={t('signIn')}
        onSubmit={async (data) => {
          await session.signIn(text(data, 'email'), raw(data, 'password'));
          const token = session.get()?.token;
          const opener = window.opener as Window | null;
          if (token && opener) {
            const message: TokenMessage = { type: TOKEN_MESSAGE, token };
            // targetOrigin is our own origin: the message is dropped unless the opener is too.
            opener.postMessage(message, window.location.origin);
          }
          window.close();
        }}
      >
        <CredentialFields />
        <button type="submit">{t('signIn')}</button>
      </Form>
      <p>
        <a href="/register" target="_blank" rel="noopener">
          {t('register')}
        </a>
      </p>
    </main>
  );
}
