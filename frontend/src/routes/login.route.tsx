import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useLogin, useMe } from '../api/auth.queries';
import { ApiError } from '../api/client';
import { TextField } from '../components/text-field';
import { strings } from '../i18n/strings';

type Field = 'email' | 'password';

function describe(error: unknown): { message: string; field?: Field } {
  if (!(error instanceof ApiError)) return { message: strings.login.unexpected };
  if (error.code === 'network') return { message: strings.login.network };
  if (error.status === 401) return { message: strings.login.wrongCredentials };
  if (error.status === 429) return { message: strings.login.rateLimited };
  if (error.status === 400 && (error.field === 'email' || error.field === 'password')) return { message: error.message, field: error.field };
  return { message: strings.login.unexpected };
}

/**
 * Only same-origin paths are followed after sign-in. Resolving with URL, as the browser
 * will, catches `//evil.example`, `/\\evil.example`, `https://evil.example` and the like.
 */
function safeNext(next: string | null, origin = window.location.origin): string {
  if (!next) return '/';
  let target: URL;
  try {
    target = new URL(next, origin);
  } catch {
    return '/';
  }
  if (target.origin !== origin || target.pathname === '/login' || target.pathname.startsWith('/login/')) return '/';
  return `${target.pathname}${target.search}${target.hash}`;
}

export function LoginRoute() {
  const me = useMe();
  const login = useLogin();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const problem = login.isError ? describe(login.error) : undefined;

  // Focus the email field once, on arrival; afterwards only a failed sign-in moves focus (to the field at fault).
  useEffect(() => {
    emailRef.current?.focus();
  }, []);

  if (me.data) return <Navigate to={safeNext(params.get('next'))} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate(
      { email, password },
      {
        onSuccess: () => void navigate(safeNext(params.get('next')), { replace: true }),
        onError: (error) => (describe(error).field === 'password' ? passwordRef : emailRef).current?.focus(),
      },
    );
  };

  const errorId = 'login-error';
  return (
    <main className="centered">
      <section className="card login-card" aria-labelledby="login-title">
        <p className="brand">{strings.appName}</p>
        <h1 id="login-title">{strings.login.title}</h1>
        <p className="muted">{strings.tagline}</p>
        <form onSubmit={submit} noValidate aria-describedby={problem ? errorId : undefined}>
          <TextField
            id="login-email"
            label={strings.login.email}
            type="email"
            name="email"
            autoComplete="username"
            value={email}
            onChange={setEmail}
            error={problem?.field === 'email' ? problem.message : undefined}
            inputRef={emailRef}
          />
          <TextField
            id="login-password"
            label={strings.login.password}
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            error={problem?.field === 'password' ? problem.message : undefined}
            inputRef={passwordRef}
          />
          {problem && !problem.field && (
            <p id={errorId} className="form-error" role="alert">
              {problem.message}
            </p>
          )}
          <button type="submit" className="button primary" disabled={login.isPending} aria-busy={login.isPending}>
            {login.isPending ? strings.login.submitting : strings.login.submit}
          </button>
        </form>
      </section>
    </main>
  );
}
