#!/usr/bin/env node
// `npm run setup` runs `npm ci` and then this script, which installs what the
// tests and benchmarks need beyond npm and builds the project:
//
// 1. redis-server, redis-cli and redis-benchmark (a real Redis 7.0 that the
//    differential tests and `npm run bench` compare shardline with). When one
//    is missing and apt-get is usable (root, or sudo without a password), it
//    installs Debian's redis-server and redis-tools, without leaving the
//    package's own redis-server service running or enabled. Otherwise it says
//    what is missing, which tests will skip and how to install them by hand,
//    and carries on: a machine without Redis can still build and run most tests.
// 2. chromium (headless, for the test that screenshots a chaos report and
//    checks its chart). When it is missing and apt-get is usable, it installs
//    Debian's chromium package; otherwise it says how, and that test skips.
// 3. `npx tsc -b`.
//
// It is idempotent and quick when everything is there: it only looks at PATH
// and runs the incremental build.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NODE_VERSION_MIN = [20, 19];

/** The programs the tests and the bench use, and the Debian package that has each. */
const REDIS_PROGRAMS = [
  { program: "redis-server", debianPackage: "redis-server" },
  { program: "redis-cli", debianPackage: "redis-tools" },
  { program: "redis-benchmark", debianPackage: "redis-tools" },
];
/** The Redis the tests are written against: replies are compared byte for byte with it. */
const REDIS_VERSION_EXPECTED = "7.0.";

/**
 * Debian's invoke-rc.d asks this file whether a package may start its
 * service; exit status 101 means "no". It is written only while apt-get runs,
 * and only when the machine has none of its own.
 */
const POLICY_RC_PATH = "/usr/sbin/policy-rc.d";
const POLICY_RC_TEXT = "#!/bin/sh\n# Written by shardline's scripts/setup.mjs while it installs redis-server; removed right after.\nexit 101\n";
/** apt-get must not wait forever on a dead mirror or a machine without network. */
const APT_OPTIONS = ["-q", "-o", "Acquire::Retries=1", "-o", "Acquire::http::Timeout=30", "-o", "Acquire::https::Timeout=30"];
/** The browser the report's screenshot test drives headless, and the Debian package that has it. */
const CHROMIUM = { program: "chromium", debianPackage: "chromium" };

const say = (line) => console.log(`setup: ${line}`);

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  // apt-get, in the same process group, gets the same Ctrl-C and stops; the
  // script then removes its policy-rc.d instead of dying with it in place.
  process.on(signal, () => {
    interrupted = true;
  });
}

class Interrupted extends Error {}

function hasProgram(name) {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

function missingPrograms() {
  return REDIS_PROGRAMS.filter(({ program }) => !hasProgram(program));
}

function redisServerVersion() {
  const result = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  return /v=(\S+)/.exec(result.stdout ?? "")?.[1];
}

/**
 * How to run a command as root here: { prefix } (empty as root, `sudo -n`
 * with passwordless sudo), or { reason } why apt-get cannot be used.
 */
function aptAccess() {
  if (process.platform !== "linux") return { reason: `this is ${process.platform}, not Debian or Ubuntu` };
  if (!hasProgram("apt-get")) return { reason: "apt-get is not available (not Debian or Ubuntu)" };
  if (process.getuid?.() === 0) return { prefix: [] };
  if (hasProgram("sudo") && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0) return { prefix: ["sudo", "-n"] };
  return { reason: "installing packages needs root, and sudo is missing or asks for a password" };
}

/**
 * Runs argv as root with output shown; rejects with a readable message when
 * it fails, or with Interrupted after Ctrl-C unless `cleanup` says the
 * command must run to the end regardless.
 */
function runAsRoot(access, argv, { input, cleanup = false } = {}) {
  const command = [...access.prefix, ...argv];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { stdio: [input === undefined ? "inherit" : "pipe", "inherit", "inherit"] });
    if (input !== undefined) child.stdin.end(input);
    child.once("error", (error) => reject(new Error(`cannot run ${argv[0]}: ${error.message}`)));
    child.once("close", (status, signal) => {
      if (!cleanup && (interrupted || signal === "SIGINT" || signal === "SIGTERM")) reject(new Interrupted(`${argv[0]} was interrupted`));
      else if (status !== 0) reject(new Error(`\`${argv.join(" ")}\` failed with exit status ${status ?? signal}`));
      else resolve();
    });
  });
}

/** Writes a policy-rc.d that forbids service starts, unless one exists; returns how to undo it. */
async function forbidServiceStarts(access) {
  if (existsSync(POLICY_RC_PATH)) return async () => {};
  await runAsRoot(access, ["sh", "-c", `cat > ${POLICY_RC_PATH} && chmod 755 ${POLICY_RC_PATH}`], { input: POLICY_RC_TEXT });
  return async () => {
    // Removed even after Ctrl-C: a policy-rc.d left behind would silently
    // stop every later package on this machine from starting its service.
    await runAsRoot(access, ["rm", "-f", POLICY_RC_PATH], { cleanup: true });
  };
}

/**
 * Debian's redis-server package registers a service on 127.0.0.1:6379 and,
 * where an init system runs, starts it and enables it at boot. The tests and
 * the bench start their own servers on free ports, so the service is only a
 * surprise: stop it and keep it from starting at boot.
 */
async function keepServiceStopped(access) {
  try {
    if (existsSync("/run/systemd/system")) {
      await runAsRoot(access, ["systemctl", "disable", "--now", "redis-server"]);
    } else if (existsSync("/etc/init.d/redis-server")) {
      // No systemd (a container, or sysvinit): update-rc.d linked the script
      // into the runlevels; a policy-rc.d that allowed starts may have started it.
      await runAsRoot(access, ["update-rc.d", "redis-server", "disable"]);
      if (existsSync("/run/redis/redis-server.pid")) await runAsRoot(access, ["/etc/init.d/redis-server", "stop"]);
    }
  } catch (error) {
    if (error instanceof Interrupted) throw error;
    // Redis is installed, which is what matters; a service left on 6379 does
    // not disturb the tests (they use free ports), so this is only a warning.
    say(`warning: could not stop or disable the package's redis-server service (${error.message}). Tests do not need it; stop it with \`sudo systemctl disable --now redis-server\` or \`sudo service redis-server stop\`.`);
    return;
  }
  say("the package's own redis-server service (port 6379) is stopped and not enabled at boot; tests start their own servers on free ports");
}

let packageListsUpdated = false;

/** `apt-get update`, at most once per setup run: Redis and Chromium may both need it. */
async function updatePackageLists(access) {
  if (packageListsUpdated) return;
  await runAsRoot(access, ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", ...APT_OPTIONS, "update"]);
  packageListsUpdated = true;
}

async function installWithApt(access) {
  const packages = [...new Set(REDIS_PROGRAMS.map(({ debianPackage }) => debianPackage))];
  say(`installing Debian's ${packages.join(" and ")} with apt-get (the differential tests and npm run bench compare shardline with a real Redis 7.0)`);
  const environment = ["env", "DEBIAN_FRONTEND=noninteractive"];
  const allowServiceStarts = await forbidServiceStarts(access);
  try {
    await updatePackageLists(access);
    // Keep an existing /etc/redis/redis.conf without asking.
    const dpkgOptions = ["-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold"];
    await runAsRoot(access, [...environment, "apt-get", ...APT_OPTIONS, ...dpkgOptions, "install", "-y", "--no-install-recommends", ...packages]);
  } finally {
    await allowServiceStarts();
  }
  await keepServiceStopped(access);
}

/** Every test file of the project, relative to the root. */
function testFiles() {
  const files = [];
  const visit = (directory) => {
    if (!existsSync(directory)) return;
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules" && entry.name !== "support") visit(full);
      else if (entry.isFile() && entry.name.endsWith(".test.ts")) files.push(path.relative(ROOT, full));
    }
  };
  visit(path.join(ROOT, "test"));
  for (const pkg of existsSync(path.join(ROOT, "packages")) ? readdirSync(path.join(ROOT, "packages")) : []) visit(path.join(ROOT, "packages", pkg, "test"));
  return files.sort();
}

/** Test files that need a real Redis and skip without it (found by what they import). */
function testsNeedingRedis() {
  return testFiles().filter((file) => /redisServerAvailable|redisCliAvailable|RedisPair|redis-benchmark/.test(readFileSync(path.join(ROOT, file), "utf8")));
}

function explainMissing(missing, why) {
  const names = missing.map(({ program }) => program).join(", ");
  const skipping = testsNeedingRedis();
  const lines = [
    `${names} not installed, and setup cannot install them: ${why}.`,
    `Without them these tests skip (each prints why): ${skipping.length > 0 ? skipping.join(", ") : "the differential tests"}; npm run bench refuses to run.`,
    "To install Redis 7.0 by hand:",
    "  Debian 12 / Ubuntu 24.04:  sudo apt-get install redis-server redis-tools",
    "                             then, to keep the package's service off port 6379: sudo systemctl disable --now redis-server",
    "  macOS (Homebrew):          brew install redis   (installs the newest Redis, not 7.0; a few replies may differ)",
    "  any Unix, from source:     curl -LO https://download.redis.io/releases/redis-7.0.15.tar.gz && tar xzf redis-7.0.15.tar.gz",
    "                             make -C redis-7.0.15 && sudo make -C redis-7.0.15 install",
    "then run npm run setup again.",
  ];
  for (const line of lines) say(line);
}

async function ensureRedis() {
  let missing = missingPrograms();
  if (missing.length > 0) {
    const access = aptAccess();
    if (access.reason !== undefined) {
      explainMissing(missing, access.reason);
      return;
    }
    try {
      await installWithApt(access);
    } catch (error) {
      if (error instanceof Interrupted) throw error;
      explainMissing(missingPrograms(), `apt-get did not succeed (${error.message}; offline?)`);
      return;
    }
    missing = missingPrograms();
    if (missing.length > 0) {
      explainMissing(missing, "apt-get ran, but they are still not on PATH");
      return;
    }
  }
  const version = redisServerVersion();
  say(`found redis-server ${version ?? "(unknown version)"}, redis-cli and redis-benchmark`);
  if (version !== undefined && !version.startsWith(REDIS_VERSION_EXPECTED)) {
    say(`warning: the differential tests compare with Redis ${REDIS_VERSION_EXPECTED}x replies; with ${version} a few may fail for reasons that are not shardline's`);
  }
}

/** Test files that skip without Chromium (found by what they import). */
function testsNeedingChromium() {
  return testFiles().filter((file) => /chromiumAvailable/.test(readFileSync(path.join(ROOT, file), "utf8")));
}

function explainChromiumMissing(why) {
  const skipping = testsNeedingChromium();
  const lines = [
    `chromium not installed, and setup cannot install it: ${why}.`,
    `Without it these tests skip (each prints why): ${skipping.length > 0 ? skipping.join(", ") : "the report screenshot test"}; scripts/report-screenshot.mjs cannot run.`,
    "To install it by hand:",
    "  Debian 12:         sudo apt-get install --no-install-recommends chromium",
    "  Ubuntu:            sudo snap install chromium   (Ubuntu's apt package is only a wrapper for the snap)",
    "  macOS (Homebrew):  brew install --cask chromium   (then put a `chromium` command on PATH)",
    "then run npm run setup again.",
  ];
  for (const line of lines) say(line);
}

async function installChromiumWithApt(access) {
  say(`installing Debian's ${CHROMIUM.debianPackage} with apt-get (the report screenshot test opens a chaos report in headless Chromium)`);
  await updatePackageLists(access);
  // Chromium has no service, so unlike redis-server it needs no policy-rc.d.
  await runAsRoot(access, ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", ...APT_OPTIONS, "install", "-y", "--no-install-recommends", CHROMIUM.debianPackage]);
}

function chromiumVersion() {
  const result = spawnSync(CHROMIUM.program, ["--version"], { encoding: "utf8" });
  return /(\d+(?:\.\d+)+)/.exec(result.stdout ?? "")?.[1];
}

async function ensureChromium() {
  if (!hasProgram(CHROMIUM.program)) {
    const access = aptAccess();
    if (access.reason !== undefined) {
      explainChromiumMissing(access.reason);
      return;
    }
    try {
      await installChromiumWithApt(access);
    } catch (error) {
      if (error instanceof Interrupted) throw error;
      explainChromiumMissing(`apt-get did not succeed (${error.message}; offline?)`);
      return;
    }
    if (!hasProgram(CHROMIUM.program)) {
      explainChromiumMissing("apt-get ran, but it is still not on PATH");
      return;
    }
  }
  say(`found chromium ${chromiumVersion() ?? "(unknown version)"}`);
}

function checkNodeVersion() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  const [majorMin, minorMin] = NODE_VERSION_MIN;
  if (major > majorMin || (major === majorMin && minor >= minorMin)) return true;
  say(`Node.js ${process.versions.node} is too old: shardline needs ${majorMin}.${minorMin} or newer (see "engines" in package.json). Install a newer Node.js, then run npm run setup again.`);
  return false;
}

function build() {
  say("building (npx tsc -b)");
  const result = spawnSync("npx", ["tsc", "-b"], { cwd: ROOT, stdio: "inherit" });
  if (result.status === 0) return true;
  say("the build failed (errors above). Fix them, then run npm run build or npm run setup again.");
  return false;
}

async function main() {
  if (!checkNodeVersion()) return 1;
  try {
    await ensureRedis();
    await ensureChromium();
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    say(`interrupted (${error.message}). Run npm run setup again to finish; if apt-get was stopped half-way, \`sudo dpkg --configure -a\` completes what it started.`);
    return 130;
  }
  if (!build()) return 1;
  say("done");
  return 0;
}

process.exitCode = await main();
