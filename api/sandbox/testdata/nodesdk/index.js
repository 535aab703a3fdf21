'use strict';
// Drives the mjrecover sandbox with the official node-mailjet 6 SDK: list
// the API keys, create one, switch it off, send in SandboxMode, and check
// that a wrong pair is refused. node-mailjet builds every URL as
// "https://" + host, so the sandbox must serve HTTPS (mjrecover sandbox
// --tls) and Node must trust its certificate (NODE_EXTRA_CA_CERTS).
//
// Environment:
//   MJ_SANDBOX_HOST    host:port of the sandbox, e.g. 127.0.0.1:8025
//   MJ_APIKEY_PUBLIC   a master key pair of the sandbox
//   MJ_APIKEY_PRIVATE
//   MJ_SENDER          a validated sender (default shop@lafleur-bakery.example)
//
// It prints one line of JSON that names no secret, and exits 1 on the
// first step that does not go as expected. Run by api/sandbox/node_sdk_test.go.

const Mailjet = require('node-mailjet');

function env(name, fallback) {
  const v = process.env[name] || fallback;
  if (!v) {
    throw new Error(`${name} is not set`);
  }
  return v;
}

function expect(ok, what) {
  if (!ok) {
    throw new Error(`unexpected answer: ${what}`);
  }
}

async function main() {
  const host = env('MJ_SANDBOX_HOST');
  const key = env('MJ_APIKEY_PUBLIC');
  const secret = env('MJ_APIKEY_PRIVATE');
  const sender = env('MJ_SENDER', 'shop@lafleur-bakery.example');
  const connect = (k, s) => Mailjet.apiConnect(k, s, { config: { host }, options: { timeout: 10000 } });
  const mj = connect(key, secret);
  const out = {};

  const listed = await mj.get('apikey', { version: 'v3' }).request({}, { Limit: 100 });
  expect(Array.isArray(listed.body.Data) && listed.body.Count === listed.body.Data.length, 'GET apikey envelope');
  out.listed = listed.body.Count;

  const created = await mj.post('apikey', { version: 'v3' }).request({ Name: 'made by node-mailjet' });
  expect(created.response.status === 201 && created.body.Data.length === 1, 'POST apikey');
  const made = created.body.Data[0];
  expect(/^[0-9a-f]{32}$/.test(made.APIKey) && /^[0-9a-f]{32}$/.test(made.SecretKey), 'the new pair');
  out.createdID = made.ID;
  out.createdKey = made.APIKey;

  const updated = await mj.put('apikey', { version: 'v3' }).id(made.ID).request({ IsActive: false });
  expect(updated.body.Data[0].IsActive === false, 'PUT apikey IsActive:false');
  out.deactivated = true;

  const sent = await mj.post('send', { version: 'v3.1' }).request({
    SandboxMode: true,
    Messages: [{
      From: { Email: sender, Name: 'node-mailjet' },
      To: [{ Email: 'passenger@example.com', Name: 'Passenger' }],
      Subject: 'node-mailjet against the sandbox',
      TextPart: 'SandboxMode: nothing is delivered.',
      CustomID: 'node-sdk-check',
    }],
  });
  const result = sent.body.Messages[0];
  expect(sent.response.status === 200 && result.Status === 'success' && result.CustomID === 'node-sdk-check', 'POST v3.1/send');
  out.sendStatus = result.Status;
  out.sandboxMessageID = Number(result.To[0].MessageID);

  try {
    await connect(key, '0'.repeat(32)).get('apikey', { version: 'v3' }).request();
    out.wrongPairStatus = 200;
  } catch (err) {
    out.wrongPairStatus = err.statusCode;
  }
  expect(out.wrongPairStatus === 401, 'a wrong pair');

  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((err) => {
  // err.message is node-mailjet's summary: status and Mailjet's text, no credentials.
  process.stderr.write(`node-mailjet check failed: ${err.message}\n`);
  process.exit(1);
});
