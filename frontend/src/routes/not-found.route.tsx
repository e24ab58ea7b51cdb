import { Link } from 'react-router';
import { strings } from '../i18n/strings';

export function NotFoundRoute() {
  return (
    <main className="centered">
      <section className="card">
        <h1>{strings.notFound.title}</h1>
        <Link to="/">{strings.notFound.back}</Link>
      </section>
    </main>
  );
}
