// Interoperability of the host's OpenID Connect server with openid-client (panva), a certified relying-party library.
// Usage: node interop.mjs <base URL>   e.g. http://127.0.0.1:5099
// Environment: ADMIN_EMAIL, ADMIN_PASSWORD, SERVICE_SECRET, SPA_REDIRECT (the values the host was seeded with).
// Prints "PASS name" / "FAIL name: why" per check, then "oidc-interop: N passed, N failed, N skipped".
import * as client from 'openid-client';

const base = new URL(process.argv[2]);
const { ADMIN_EMAIL, ADMIN_PASSWORD, SERVICE_SECRET, SPA_REDIRECT } = process.env;
const insecure = { execute: [client.allowInsecureRequests] }; // http:// issuer on localhost only
let passed = 0, failed = 0, skipped = 0;
const state = {};

async function check(name, body, needs = []) {
  if (needs.some(n => state[n] === undefined)) {
    skipped++;
    console.log(`SKIP ${name}: needs ${needs.filter(n => state[n] === undefined).join(', ')}`);
    return;
  }
  try {
    await body();
    passed++;
    console.log(`PASS ${name}`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}: ${error?.stack ?? error}${error?.cause ? ' cause: ' + JSON.stringify(error.cause) : ''}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** A tiny browser: cookie jar, manual redirects. */
class Browser {
  jar = new Map();
  async fetch(url, init = {}) {
    const headers = new Headers(init.headers ?? {});
    if (this.jar.size) headers.set('cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(new URL(url, base), { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim(), value = pair.slice(i + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.jar.delete(name); else this.jar.set(name, value);
    }
    return response;
  }
}

const hidden = (html, name) => {
  const match = html.match(new RegExp(`name="${name}" value="([^"]*)"`));
  assert(match, `no hidden field ${name}`);
  return match[1].replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>');
};

await check('discovery (public client)', async () => {
  state.spa = await client.discovery(base, 'monolith-spa', undefined, client.None(), insecure);
  const metadata = state.spa.serverMetadata();
  assert(metadata.code_challenge_methods_supported?.join() === 'S256', `code_challenge_methods_supported: ${metadata.code_challenge_methods_supported}`);
  assert(!metadata.grant_types_supported.includes('password') && !metadata.grant_types_supported.includes('implicit'), 'no password, no implicit');
});

await check('discovery (confidential client)', async () => {
  state.service = await client.discovery(base, 'monolith-service', SERVICE_SECRET, undefined, insecure);
});

await check('client credentials', async () => {
  const tokens = await client.clientCredentialsGrant(state.service, { scope: 'catalog.read catalog.write' });
  assert(tokens.token_type.toLowerCase() === 'bearer', `token_type ${tokens.token_type}`);
  assert(tokens.expires_in > 0, 'expires_in');
  state.serviceToken = tokens.access_token;
}, ['service']);

await check('code flow with PKCE, login form driven by fetch', async () => {
  const verifier = client.randomPKCECodeVerifier();
  const expectedState = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(state.spa, {
    redirect_uri: SPA_REDIRECT, scope: 'openid profile email offline_access catalog.write',
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: expectedState, nonce,
  });
  const browser = new Browser();
  const toLogin = await browser.fetch(url);
  assert(toLogin.status === 302, `authorize: ${toLogin.status}`);
  const loginPage = await browser.fetch(toLogin.headers.get('location'));
  const html = await loginPage.text();
  const form = new URLSearchParams({
    __RequestVerificationToken: hidden(html, '__RequestVerificationToken'), ReturnUrl: hidden(html, 'ReturnUrl'),
    username: ADMIN_EMAIL, password: ADMIN_PASSWORD,
  });
  const signedIn = await browser.fetch('/account/login', { method: 'POST', body: form });
  assert(signedIn.status === 302, `login: ${signedIn.status} ${await signedIn.text()}`);
  const back = await browser.fetch(signedIn.headers.get('location'));
  assert(back.status === 302, `authorize after login: ${back.status}`);
  const callback = new URL(back.headers.get('location'));
  assert(callback.href.startsWith(SPA_REDIRECT), `redirected to ${callback}`);
  const tokens = await client.authorizationCodeGrant(state.spa, callback, { pkceCodeVerifier: verifier, expectedState, expectedNonce: nonce, idTokenExpected: true });
  const claims = tokens.claims();
  assert(claims.sub && claims.email === ADMIN_EMAIL, `id token claims ${JSON.stringify(claims)}`);
  assert(tokens.refresh_token, 'refresh token');
  state.user = tokens;
  state.sub = claims.sub;
}, ['spa']);

await check('userinfo', async () => {
  const info = await client.fetchUserInfo(state.spa, state.user.access_token, state.sub);
  assert(info.email === ADMIN_EMAIL && info.name, JSON.stringify(info));
}, ['user']);

await check('refresh rotates the refresh token', async () => {
  const refreshed = await client.refreshTokenGrant(state.spa, state.user.refresh_token);
  assert(refreshed.refresh_token && refreshed.refresh_token !== state.user.refresh_token, 'a new refresh token');
  state.refreshed = refreshed;
}, ['user']);

await check('replayed refresh token is invalid_grant', async () => {
  try {
    await client.refreshTokenGrant(state.spa, state.user.refresh_token);
  } catch (error) {
    assert(error.error === 'invalid_grant', `error ${error.error ?? error}`);
    return;
  }
  throw new Error('the replay succeeded');
}, ['refreshed']);

await check('introspection of an active token', async () => {
  const info = await client.tokenIntrospection(state.service, state.serviceToken);
  assert(info.active === true && info.client_id === 'monolith-service', JSON.stringify(info));
}, ['serviceToken']);

await check('revocation, then introspection says inactive', async () => {
  await client.tokenRevocation(state.service, state.serviceToken);
  const info = await client.tokenIntrospection(state.service, state.serviceToken);
  assert(info.active === false, JSON.stringify(info));
}, ['serviceToken']);

await check('the API refuses the revoked token with 401 and a Bearer challenge', async () => {
  const response = await fetch(new URL('/api/v1/catalog/products', base), {
    method: 'POST', headers: { authorization: `Bearer ${state.serviceToken}`, 'content-type': 'application/json' }, body: '{}',
  });
  assert(response.status === 401, `status ${response.status}`);
  assert((response.headers.get('www-authenticate') ?? '').startsWith('Bearer'), `WWW-Authenticate: ${response.headers.get('www-authenticate')}`);
}, ['serviceToken']);

console.log(`oidc-interop: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
