// Command-line options of `npm run bench` (node bench/run.mjs).

/** How many more requests a pipeline-16 run makes than a pipeline-1 run, so both take comparable time. */
export const PIPELINE16_REQUEST_FACTOR = 10;

/** Trials per side of the failover phase: the failover goal is stated over this many. */
export const FAILOVER_TRIALS_DEFAULT = 10;
/** The failover phase's sides: shardline (its default node timeout, 1000 ms), and real Redis Clusters at 1000 and 5000 ms. */
export const FAILOVER_SIDES = ["shardline", "redis-1000", "redis-5000"];
/** Bounds of --soak: shorter says nothing about a stall that comes every few minutes; longer is a typo more often than a plan. */
export const SOAK_MS_MIN = 10_000;
export const SOAK_MS_MAX = 2 * 3_600_000;

export const USAGE = `Usage: npm run bench -- [options]      (or: node bench/run.mjs [options] after npm run build)

Compares shardline-node with a real redis-server using redis-benchmark, a
shardline cluster with a real Redis Cluster of the same shape using
redis-benchmark --cluster, replication lag and the cost of two replicas
against a real Redis primary with two replicas, measures memory per key,
then failover: the time from kill -9 of a primary to writes succeeding
again, on shardline and on real Redis Clusters (node timeout 1000 and 5000
ms); and, with --soak, whether a shardline cluster under full load fails
over when nothing failed. Prints tables and saves JSON to bench/results/.

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
  --no-failover      skip the failover trials (on in a full run, off with --quick unless asked for)
  --failover         run the failover trials, also with --quick
  --failover-trials N  kill -9 trials per side (default ${FAILOVER_TRIALS_DEFAULT}; the goal is judged over ${FAILOVER_TRIALS_DEFAULT}); implies --failover
  --failover-sides A,B  only these sides (default: ${FAILOVER_SIDES.join(",")}); implies --failover
  --soak DURATION    run a shardline cluster under full load for DURATION (10s to 2h, e.g. 10m) and count failovers (off by default)
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
  failoverTrials: [1, 100],
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
      case "--failover": chosen.failover = true; break;
      case "--no-failover": chosen.failover = false; break;
      case "--failover-trials": chosen.failoverTrials = integerOption(flag, "failoverTrials", value()); break;
      case "--failover-sides": chosen.failoverSides = parseSideList(value()); break;
      case "--soak": chosen.soakMs = parseSoakDuration(value()); break;
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
  const failoverAsked = chosen.failoverTrials !== undefined || chosen.failoverSides !== undefined;
  if (chosen.failover === false && failoverAsked) throw new UsageError(`--no-failover contradicts ${chosen.failoverTrials !== undefined ? "--failover-trials" : "--failover-sides"}: drop one of them`);
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
    failover: chosen.failover ?? (failoverAsked || !quick),
    failoverTrials: chosen.failoverTrials ?? FAILOVER_TRIALS_DEFAULT,
    failoverSides: chosen.failoverSides ?? [...FAILOVER_SIDES],
    soakMs: chosen.soakMs,
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

function parseSideList(text) {
  if (text === undefined || text.startsWith("--")) throw new UsageError(`--failover-sides needs a list such as shardline,redis-1000 (known: ${FAILOVER_SIDES.join(",")})`);
  const names = text.split(",").map((name) => name.trim().toLowerCase()).filter((name) => name !== "");
  const unknown = names.filter((name) => !FAILOVER_SIDES.includes(name));
  if (unknown.length > 0 || names.length === 0) throw new UsageError(`unknown failover side '${unknown[0] ?? text}' (known: ${FAILOVER_SIDES.join(",")})`);
  return FAILOVER_SIDES.filter((name) => names.includes(name));
}

const DURATION_UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 };

/** "10m" as a soak length: ms out of a whole number and a unit (h, m or s), e.g. 10m = 600000. */
export function parseSoakDuration(text) {
  const example = "a whole number and s, m or h, such as 10m, 90s or 1h";
  if (text === undefined || text.startsWith("--")) throw new UsageError(`--soak needs a duration: ${example}`);
  const match = /^(\d+)(s|m|h)$/.exec(text.trim());
  if (match === null) throw new UsageError(`--soak needs a duration: ${example}; got '${text}'`);
  const ms = Number(match[1]) * DURATION_UNIT_MS[match[2]];
  if (ms < SOAK_MS_MIN || ms > SOAK_MS_MAX) throw new UsageError(`--soak must be between ${formatDuration(SOAK_MS_MIN)} and ${formatDuration(SOAK_MS_MAX)}, got ${text}`);
  return ms;
}

/** A duration in the largest unit that divides it: 600000 -> "10m", 90000 -> "90s", 7200000 -> "2h". */
export function formatDuration(ms) {
  for (const [unit, unitMs] of [["h", 3_600_000], ["m", 60_000]]) if (ms % unitMs === 0) return `${ms / unitMs}${unit}`;
  return `${Math.round(ms / 1000)}s`;
}
