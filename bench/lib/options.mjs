// Command-line options of `npm run bench` (node bench/run.mjs).

/** How many more requests a pipeline-16 run makes than a pipeline-1 run, so both take comparable time. */
export const PIPELINE16_REQUEST_FACTOR = 10;

export const USAGE = `Usage: npm run bench -- [options]      (or: node bench/run.mjs [options] after npm run build)

Compares shardline-node with a real redis-server using redis-benchmark, a
shardline cluster with a real Redis Cluster of the same shape using
redis-benchmark --cluster, replication lag and the cost of two replicas
against a real Redis primary with two replicas, and measures memory per
key. Prints tables and saves JSON to bench/results/.

Options:
  --quick            a short run: 1 repetition, 20000 requests, 300000 keys, 3 s lag runs
  --repeat N         redis-benchmark runs per server, test and pipeline (default 3); the median is reported
  --requests N       requests per run at pipeline 1 (default 100000; per test in cluster runs); pipeline 16 runs ${PIPELINE16_REQUEST_FACTOR}x as many
  --clients N        parallel connections (default 50)
  --tests A,B        only these tests (default: SET,GET,INCR,LPUSH,LPOP,SADD,HSET,ZADD,LRANGE_100,MSET)
  --keyspace N       random keys/members out of N (redis-benchmark -r N); default: redis-benchmark's fixed keys
  --memory-keys N    string keys loaded for the memory test (default 1000000)
  --no-memory        skip the memory test
  --no-throughput    skip the standalone throughput tests
  --no-cluster       skip the cluster tests (9-node Redis Cluster and shardline cluster, SET and GET)
  --cluster-threads N  redis-benchmark --threads in cluster runs (default 1: see bench/README.md)
  --no-replication   skip the replication tests (lag of 2 replicas, throughput with and without them)
  --repl-rate N      SET/s of the fixed-rate replication lag run (default 20000)
  --repl-seconds N   length of each replication lag run, fixed rate and full speed (default 10; 3 with --quick)
  --out FILE         where to save the JSON (default bench/results/<timestamp>.json)
  -h, --help         this text`;

const DEFAULTS = { repeat: 3, requests: 100_000, memoryKeys: 1_000_000, replicationSeconds: 10 };
const QUICK_DEFAULTS = { repeat: 1, requests: 20_000, memoryKeys: 300_000, replicationSeconds: 3 };
/** The write rate of the fixed-rate lag run: the rate the replication lag goal is stated at. */
export const REPLICATION_RATE_DEFAULT = 20_000;

/** Bounds that keep a typo (an extra zero or three) from starting an hour-long run by surprise. */
const LIMITS = {
  repeat: [1, 50],
  requests: [100, 100_000_000],
  clients: [1, 10_000],
  keyspace: [1, 1_000_000_000],
  memoryKeys: [1_000, 50_000_000],
  clusterThreads: [1, 64],
  replicationRate: [100, 1_000_000],
  replicationSeconds: [1, 600],
};

export class UsageError extends Error {}

function integerOption(name, key, text) {
  const [min, max] = LIMITS[key];
  if (text === undefined || !/^\d+$/.test(text)) throw new UsageError(`${name} needs a whole number, got ${text === undefined ? "nothing" : `'${text}'`}`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/**
 * Parses argv into options. `knownTests` are the test names --tests may
 * choose from. Throws UsageError with a message that says what to type.
 */
export function parseBenchArguments(argv, knownTests) {
  const chosen = {};
  let quick = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i];
    switch (flag) {
      case "--quick": quick = true; break;
      case "--repeat": chosen.repeat = integerOption(flag, "repeat", value()); break;
      case "--requests": chosen.requests = integerOption(flag, "requests", value()); break;
      case "--clients": chosen.clients = integerOption(flag, "clients", value()); break;
      case "--keyspace": chosen.keyspace = integerOption(flag, "keyspace", value()); break;
      case "--memory-keys": chosen.memoryKeys = integerOption(flag, "memoryKeys", value()); break;
      case "--no-memory": chosen.memory = false; break;
      case "--no-throughput": chosen.throughput = false; break;
      case "--no-cluster": chosen.cluster = false; break;
      case "--cluster-threads": chosen.clusterThreads = integerOption(flag, "clusterThreads", value()); break;
      case "--no-replication": chosen.replication = false; break;
      case "--repl-rate": chosen.replicationRate = integerOption(flag, "replicationRate", value()); break;
      case "--repl-seconds": chosen.replicationSeconds = integerOption(flag, "replicationSeconds", value()); break;
      case "--out": {
        const out = value();
        if (out === undefined || out.startsWith("--")) throw new UsageError("--out needs a file name");
        chosen.out = out;
        break;
      }
      case "--tests": chosen.tests = parseTestList(value(), knownTests); break;
      case "-h":
      case "--help": help = true; break;
      default: throw new UsageError(`unknown option '${flag}'`);
    }
  }
  const base = quick ? QUICK_DEFAULTS : DEFAULTS;
  return {
    help,
    quick,
    repeat: chosen.repeat ?? base.repeat,
    requests: chosen.requests ?? base.requests,
    clients: chosen.clients ?? 50,
    keyspace: chosen.keyspace,
    memoryKeys: chosen.memoryKeys ?? base.memoryKeys,
    memory: chosen.memory ?? true,
    throughput: chosen.throughput ?? true,
    cluster: chosen.cluster ?? true,
    clusterThreads: chosen.clusterThreads ?? 1,
    replication: chosen.replication ?? true,
    replicationRate: chosen.replicationRate ?? REPLICATION_RATE_DEFAULT,
    replicationSeconds: chosen.replicationSeconds ?? base.replicationSeconds,
    tests: chosen.tests ?? [...knownTests],
    out: chosen.out,
  };
}

function parseTestList(text, knownTests) {
  if (text === undefined || text.startsWith("--")) throw new UsageError(`--tests needs a list such as SET,GET (known: ${knownTests.join(",")})`);
  const names = text.split(",").map((name) => name.trim().toUpperCase()).filter((name) => name !== "");
  const unknown = names.filter((name) => !knownTests.includes(name));
  if (unknown.length > 0 || names.length === 0) throw new UsageError(`unknown test '${unknown[0] ?? text}' (known: ${knownTests.join(",")})`);
  return knownTests.filter((name) => names.includes(name));
}
