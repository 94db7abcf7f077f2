// bench/login.mjs - sign in to a running kantel and print the session cookie.
//
//   node bench/login.mjs URL [USER]
//
// Signs USER (default: generalist) of the demo municipality in with the demo
// password and TOTP secret, and prints the value of the `kantel_sid` cookie
// on stdout (nothing else), for `wrk -H "Cookie: kantel_sid=..."`.
import { Client } from '../tests/lib/kantel.mjs';

const DEMO_PASSWORD = 'Kantel-demo-2026!';
const DEMO_TOTP_SECRET = 'KANTELDEMOKANTELDEMOKANTELDEMO22';

const [url, user = 'generalist'] = process.argv.slice(2);
if (!url) {
  console.error('usage: node bench/login.mjs URL [USER]');
  process.exit(2);
}
try {
  const client = new Client(url);
  await client.login(user, DEMO_PASSWORD, DEMO_TOTP_SECRET);
  console.log(client.cookie('kantel_sid'));
} catch (e) {
  console.error(`bench/login.mjs: ${e.message}`);
  process.exit(1);
}
