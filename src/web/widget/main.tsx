import { render } from 'preact';
import '../shared/styles.css';
import { SignInPopup } from './signin';
import { Widget } from './widget';

/**
 * The iframe widget (`/embed/topics/:id`, `/embed/rooms/:id`) and the sign-in popup it opens
 * (`/embed/signin`). The server has already refused unknown, unpublished and rejected
 * resources (404) and set frame-ancestors to the space's embed origins.
 */
const root = document.getElementById('widget');
const path = window.location.pathname;
const match = path.match(/^\/embed\/(topics|rooms)\/([0-9a-fA-F-]{36})$/);
if (root) {
  if (path === '/embed/signin') render(<SignInPopup />, root);
  else if (match)
    render(<Widget kind={match[1] === 'rooms' ? 'room' : 'topic'} id={match[2]!} />, root);
}
