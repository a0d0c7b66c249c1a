// Test-only peer of tst_kvinterop_js: @nats-io/kv 3.4 operations on request, so the test sees what the
// official JavaScript client sees. Usage: node peer.mjs <server-url>; then one JSON request per line on
// stdin, {"command": "...", "args": {...}}, and one JSON answer per line on stdout: the result, or
// {"error": "..."}. It stays connected until stdin closes. Never part of kvdesk.
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { createInterface } from "node:readline";

const [url] = process.argv.slice(2);

function entryJson(e) {
  if (!e) {
    return null;
  }
  return {
    key: e.key,
    revision: e.revision,
    operation: e.operation,
    value: e.string(),
    length: e.length,
  };
}

async function bucketOptions(a) {
  const opts = {};
  for (const name of ["history", "ttl", "markerTTL", "description", "compression", "metadata", "max_bytes",
                      "maxValueSize", "storage", "replicas"]) {
    if (a[name] !== undefined) {
      opts[name] = a[name];
    }
  }
  if (a.sources) {
    opts.sources = a.sources.map((name) => ({ name }));
  }
  if (a.mirror) {
    opts.mirror = { name: a.mirror };
  }
  return opts;
}

async function run(nc, command, args) {
  const kvm = new Kvm(nc);
  const jsm = await jetstreamManager(nc);
  switch (command) {
  case "create-bucket": {
    await kvm.create(args.bucket, await bucketOptions(args));
    const info = await jsm.streams.info(`KV_${args.bucket}`);
    return { config: info.config };
  }
  case "stream-config": {
    const info = await jsm.streams.info(args.stream);
    return { config: info.config };
  }
  case "create": {
    const kv = await kvm.open(args.bucket);
    return { revision: await kv.create(args.key, args.value ?? "", args.ttl) };
  }
  case "put": {
    const kv = await kvm.open(args.bucket);
    return { revision: await kv.put(args.key, args.value ?? "") };
  }
  case "purge": {
    const kv = await kvm.open(args.bucket);
    await kv.purge(args.key, args.ttl ? { ttl: args.ttl } : undefined);
    return { purged: true };
  }
  case "get": {
    const kv = await kvm.open(args.bucket);
    return { entry: entryJson(await kv.get(args.key)) };
  }
  case "history": {
    const kv = await kvm.open(args.bucket);
    const entries = [];
    for await (const e of await kv.history({ key: args.key })) {
      entries.push(entryJson(e));
    }
    return { entries };
  }
  case "keys": {
    const kv = await kvm.open(args.bucket);
    const keys = [];
    for await (const k of await kv.keys()) {
      keys.push(k);
    }
    return { keys };
  }
  default:
    throw new Error(`unknown command ${command}`);
  }
}

const nc = await connect({ servers: url, timeout: 5000 });
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() === "") {
    continue;
  }
  let answer;
  try {
    const request = JSON.parse(line);
    answer = await run(nc, request.command, request.args ?? {});
  } catch (err) {
    answer = { error: err.message ?? String(err) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
await nc.close();
