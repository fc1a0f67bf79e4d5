import { render } from 'preact';
import '../shared/styles.css';
import { App } from './app';
import { session } from './context';
import './notification-state';

void session.restore().finally(() => {
  const root = document.getElementById('app');
  if (!root) return;
  // The static shell (header and skeleton, or the not-found page) gives way to the app.
  root.textContent = '';
  root.removeAttribute('data-page');
  render(<App />, root);
});
