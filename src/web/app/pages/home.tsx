import { useT } from '../../shared/i18n';
import { type Page, type Room, type Space } from '../../shared/types';
import { ErrorNote } from '../../shared/ui';
import { Link } from '../app';
import { api, useLoad } from '../context';

export function HomePage() {
  const t = useT();
  const spaces = useLoad(() => api.get<Page<Space>>('/spaces?limit=100'), []);
  const rooms = useLoad(() => api.get<Page<Room>>('/rooms?status=live&limit=20'), []);
  return (
    <>
      <h1>{t('appName')}</h1>
      <p class="lead">{t('tagline')}</p>
      {!!rooms.data?.items.length && (
        <section aria-labelledby="live-rooms">
          <h2 id="live-rooms">{t('liveNow')}</h2>
          <ul class="cards">
            {rooms.data.items.map((room) => (
              <li key={room.id} class="card live">
                <span class="badge live-badge">{t('liveNow')}</span>{' '}
                <Link href={`/rooms/${room.id}`}>{room.title}</Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="spaces">
        <h2 id="spaces">{t('spaces')}</h2>
        <ErrorNote error={spaces.error} />
        <ul class="cards">
          {spaces.data?.items.map((space) => (
            <li key={space.id} class="card">
              <Link href={`/spaces/${encodeURIComponent(space.slug)}`}>{space.name}</Link>
              {space.description && <p>{space.description}</p>}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
