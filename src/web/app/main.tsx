import { render } from 'preact';
import '../shared/styles.css';
import { App } from './app';
import { session } from './context';

void session.restore().finally(() => {
  const root = document.getElementById('app');
  if (root) render(<App />, root);
});
