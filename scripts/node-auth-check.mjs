// Checks SCRAM-SHA-256 authentication of the embedded server with the Node.js driver (mongodb 6.x).
// Usage: node node-auth-check.mjs <host:port> ; the server must run with --auth and have no user yet.
import { MongoClient } from 'mongodb';

const hostPort = process.argv[2];
const options = { serverSelectionTimeoutMS: 5000, directConnection: true };
const url = (credentials, query = '') => `mongodb://${credentials}127.0.0.1:${hostPort.split(':').pop()}/${query}`;
let passed = 0;

async function check(name, body) {
  try {
    await body();
    passed++;
    console.log(`PASS ${name}`);
  } catch (error) {
    console.log(`FAIL ${name}: ${error?.stack ?? error}`);
    process.exitCode = 1;
  }
}

async function expectError(promise, code, message) {
  try {
    await promise;
  } catch (error) {
    if (error.code !== code) throw new Error(`expected code ${code}, got ${error.code}: ${error.message}`);
    if (message && error.message !== message) throw new Error(`expected message "${message}", got "${error.message}"`);
    return;
  }
  throw new Error(`expected error ${code}, got success`);
}

async function withClient(uri, body) {
  const client = new MongoClient(uri, options);
  try { await body(client); } finally { await client.close(); }
}

await check('anonymous: ping answers, find is refused with 13', () => withClient(url(''), async client => {
  await client.db('admin').command({ ping: 1 });
  await expectError(client.db('app').collection('items').findOne({}), 13, 'Command find requires authentication');
}));

await check('localhost exception: the first user is created without authenticating', () => withClient(url(''), async client => {
  await client.db('admin').command({ createUser: 'root', pwd: 'root-pw', roles: ['root'] });
  await expectError(client.db('admin').command({ createUser: 'second', pwd: 'pw', roles: ['root'] }), 13);
}));

await check('wrong password fails with AuthenticationFailed (18)', () => withClient(url('root:wrong@'), async client => {
  await expectError(client.db('admin').command({ ping: 1 }), 18, 'Authentication failed.');
}));

await check('unknown user fails the same way', () => withClient(url('ghost:pw@'), async client => {
  await expectError(client.db('admin').command({ ping: 1 }), 18, 'Authentication failed.');
}));

await check('default mechanism negotiation authenticates and reads/writes', () => withClient(url('root:root-pw@'), async client => {
  const items = client.db('app').collection('items');
  await items.insertOne({ _id: 1, name: 'widget' });
  const found = await items.findOne({ _id: 1 });
  if (found?.name !== 'widget') throw new Error(`unexpected document ${JSON.stringify(found)}`);
  const status = await client.db('admin').command({ connectionStatus: 1 });
  const user = status.authInfo.authenticatedUsers[0];
  if (user?.user !== 'root' || user?.db !== 'admin') throw new Error(`unexpected connectionStatus ${JSON.stringify(status)}`);
  await client.db('app').command({ createUser: 'reader', pwd: 'reader-pw', roles: ['read'] });
}));

await check('explicit authMechanism=SCRAM-SHA-256 and a read-only user', () =>
  withClient(url('reader:reader-pw@', '?authSource=app&authMechanism=SCRAM-SHA-256'), async client => {
    const items = client.db('app').collection('items');
    if ((await items.countDocuments()) !== 1) throw new Error('reader should see one document');
    await expectError(items.insertOne({ _id: 2 }), 13);
    await expectError(client.db('other').collection('x').findOne({}), 13);
  }));

console.log(`node-auth: ${passed} passed, ${process.exitCode ? 'some failed' : '0 failed'}`);
