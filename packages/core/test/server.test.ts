import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { commandByFullName, findKeys } from "../src/commands/introspection.js";
import { REDIS_VERSION, SHARDLINE_VERSION } from "../src/engine/info.js";
import {
  array,
  bulk,
  bulks,
  err,
  int,
  NIL,
  NIL_ARRAY,
  ok,
  parseInfo,
  parseReplies,
  parseReply,
  simple,
  startSession,
  type Reply,
} from "./support/server-session.js";

const helloMap = (proto: number, id: number) =>
  [
    ["server", "redis"],
    ["version", REDIS_VERSION],
    ["proto", proto],
    ["id", id],
    ["mode", "standalone"],
    ["role", "master"],
    ["modules", []],
  ] as [string, Reply][];

describe("PING, ECHO, SELECT, QUIT", () => {
  it("answers PING and ECHO, and refuses extra arguments", () => {
    const c = startSession().connect();
    expect(c.send("PING")).toBe(simple("PONG"));
    expect(c.send("PING", "hi")).toBe(bulk("hi"));
    expect(c.send("PING", "a", "b")).toBe(err("ERR wrong number of arguments for 'ping' command"));
    expect(c.send("ECHO", "x\r\ny")).toBe(bulk("x\r\ny"));
    expect(c.send("ECHO")).toBe(err("ERR wrong number of arguments for 'echo' command"));
  });

  it("selects databases 0..15 and refuses others with Redis's errors", () => {
    const s = startSession();
    const c = s.connect();
    expect(c.send("SELECT", 15)).toBe(ok);
    expect(c.client.dbId).toBe(15);
    expect(c.send("SELECT", 16)).toBe(err("ERR DB index is out of range"));
    expect(c.send("SELECT", -1)).toBe(err("ERR DB index is out of range"));
    expect(c.send("SELECT", "x")).toBe(err("ERR value is not an integer or out of range"));
    expect(c.send("SELECT", "99999999999")).toBe(err("ERR value is out of range, value must between -2147483648 and 2147483647"));
    expect(c.client.dbId).toBe(15);
  });

  it("refuses SELECT of a database other than 0 in cluster mode", () => {
    const c = startSession([["cluster-enabled", "yes"]]).connect();
    expect(c.send("SELECT", 1)).toBe(err("ERR SELECT is not allowed in cluster mode"));
    expect(c.send("SELECT", 0)).toBe(ok);
  });

  it("answers QUIT and then closes, running nothing after it", () => {
    const c = startSession().connect();
    expect(c.write("*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n")).toBe(ok);
    expect(c.client.closeAfterReply).toBe(true);
  });
});

describe("HELLO and AUTH", () => {
  it("switches protocol and replies with the server map in the new protocol", () => {
    const c = startSession().connect();
    const reply = c.send("HELLO", 3);
    expect(reply.startsWith("%7\r\n")).toBe(true);
    expect(parseReply(reply)).toEqual({ map: helloMap(3, c.client.id) });
    expect(c.client.protocol).toBe(3);
    expect(c.send("GET", "missing")).toBe("_\r\n");
    expect(parseReply(c.send("HELLO"))).toEqual({ map: helloMap(3, c.client.id) });
    const back = c.send("HELLO", 2);
    expect(back.startsWith("*14\r\n")).toBe(true);
    expect(c.send("GET", "missing")).toBe(NIL);
  });

  it("refuses bad protocol versions and options with Redis's errors", () => {
    const c = startSession().connect();
    expect(c.send("HELLO", 4)).toBe(err("NOPROTO unsupported protocol version"));
    expect(c.send("HELLO", 1)).toBe(err("NOPROTO unsupported protocol version"));
    expect(c.send("HELLO", "x")).toBe(err("ERR Protocol version is not an integer or out of range"));
    expect(c.send("HELLO", "03")).toBe(err("ERR Protocol version is not an integer or out of range"));
    expect(c.send("HELLO", 3, "SETNAME")).toBe(err("ERR Syntax error in HELLO option 'SETNAME'"));
    expect(c.send("HELLO", 3, "AUTH", "default")).toBe(err("ERR Syntax error in HELLO option 'AUTH'"));
    expect(c.send("HELLO", 3, "FOO")).toBe(err("ERR Syntax error in HELLO option 'FOO'"));
    expect(c.send("HELLO", 3, "SETNAME", "a b")).toBe(err("ERR Client names cannot contain spaces, newlines or special characters."));
    expect(c.client.protocol).toBe(2);
  });

  it("authenticates with requirepass through AUTH and HELLO AUTH, with Redis's refusals", () => {
    const s = startSession([["requirepass", "s3cret"]]);
    const c = s.connect();
    expect(c.send("GET", "k")).toBe(err("NOAUTH Authentication required."));
    expect(c.send("AUTH", "wrong")).toBe(err("WRONGPASS invalid username-password pair or user is disabled."));
    expect(c.send("AUTH", "other", "s3cret")).toBe(err("WRONGPASS invalid username-password pair or user is disabled."));
    expect(c.send("AUTH", "a", "b", "c")).toBe(err("ERR syntax error"));
    expect(c.send("HELLO", 3)).toBe(
      err(
      "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
      ),
    );
    expect(c.send("AUTH", "s3cret")).toBe(ok);
    expect(c.send("GET", "k")).toBe(NIL);
    const d = s.connect();
    expect(parseReply(d.send("HELLO", 3, "AUTH", "default", "s3cret", "SETNAME", "app"))).toEqual({ map: helloMap(3, d.client.id) });
    expect(d.client.authenticated && d.client.decoder.authenticated).toBe(true);
    expect(d.send("CLIENT", "GETNAME")).toBe(bulk("app"));
  });

  it("explains AUTH <password> when no password is configured, and accepts the default user", () => {
    const c = startSession().connect();
    expect(c.send("AUTH", "x")).toBe(
      err("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"),
    );
    expect(c.send("AUTH", "default", "anything")).toBe(ok);
  });

  it("keeps clients connected before CONFIG SET requirepass authenticated, and asks new ones", () => {
    const s = startSession();
    const before = s.connect();
    expect(before.send("CONFIG", "SET", "requirepass", "pw")).toBe(ok);
    expect(before.send("PING")).toBe(simple("PONG"));
    expect(s.connect().send("PING")).toBe(err("NOAUTH Authentication required."));
  });
});

describe("RESET", () => {
  it("returns the connection to its initial state", () => {
    const s = startSession([["requirepass", "pw"]]);
    const c = s.connect();
    c.send("AUTH", "pw");
    c.send("SELECT", 3);
    c.send("CLIENT", "SETNAME", "n");
    c.send("HELLO", 3);
    c.send("WATCH", "k");
    c.send("SUBSCRIBE", "ch");
    c.send("MULTI");
    expect(c.send("RESET")).toBe(simple("RESET"));
    expect(c.client.dbId).toBe(0);
    expect(c.client.protocol).toBe(2);
    expect(c.client.multi).toBeUndefined();
    expect(c.client.watched.size).toBe(0);
    expect(c.client.subscriptionCount).toBe(0);
    expect(s.engine.pubsub.channels.size).toBe(0);
    expect(c.client.name).toBe("");
    expect(c.send("GET", "k")).toBe(err("NOAUTH Authentication required."));
  });
});

describe("CLIENT", () => {
  it("reports id, name and info in Redis 7.0's CLIENT LIST format", () => {
    const s = startSession();
    const c = s.connect("10.0.0.1:5555");
    expect(c.send("CLIENT", "ID")).toBe(int(c.client.id));
    expect(c.send("CLIENT", "GETNAME")).toBe(NIL);
    expect(c.send("CLIENT", "SETNAME", "worker-1")).toBe(ok);
    expect(c.send("CLIENT", "GETNAME")).toBe(bulk("worker-1"));
    const line = parseReply(c.send("CLIENT", "INFO")) as string;
    expect(line.endsWith("\n")).toBe(true);
    const fields = line.trimEnd().split(" ").map((field) => field.slice(0, field.indexOf("=")));
    expect(fields).toEqual([
      "id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub", "ssub", "multi", "qbuf", "qbuf-free", "argv-mem",
      "multi-mem", "rbs", "rbp", "obl", "oll", "omem", "tot-mem", "events", "cmd", "user", "redir", "resp",
    ]);
    expect(line).toContain(`id=${c.client.id} addr=10.0.0.1:5555 laddr=127.0.0.1:6379 fd=-1 name=worker-1 `);
    expect(line).toContain(" flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 ");
    expect(line).toContain(" argv-mem=10 ");
    expect(line).toContain(" cmd=client|info user=default redir=-1 resp=2");
    expect(c.send("CLIENT", "SETNAME", "")).toBe(ok);
    expect(c.send("CLIENT", "GETNAME")).toBe(NIL);
    expect(c.send("CLIENT", "SETNAME", "bad\nname")).toBe(err("ERR Client names cannot contain spaces, newlines or special characters."));
  });

  it("lists every client, filtered by TYPE or ID, with their flags and last command", () => {
    const s = startSession();
    const a = s.connect();
    const b = s.connect();
    const watcher = s.connect();
    b.send("SUBSCRIBE", "news");
    a.send("MULTI");
    a.send("SET", "k", "v");
    const all = (parseReply(watcher.send("CLIENT", "LIST")) as string).trimEnd().split("\n");
    expect(all).toHaveLength(3);
    expect(all[0]).toContain(`id=${a.client.id} `);
    expect(all[0]).toContain(" flags=x ");
    expect(all[0]).toContain(" multi=1 ");
    expect(all[0]).toContain(" multi-mem=5 ");
    expect(all[0]).toContain(" cmd=set ");
    expect(all[1]).toContain(" flags=P db=0 sub=1 psub=0 ssub=0 ");
    expect(all[1]).toContain(" cmd=subscribe ");
    expect(all[2]).toContain(" cmd=client|list ");
    a.send("DISCARD");
    expect(parseReply(a.send("CLIENT", "LIST", "TYPE", "pubsub"))).toMatch(new RegExp(`^id=${b.client.id} `));
    expect(parseReply(a.send("CLIENT", "LIST", "TYPE", "replica"))).toBe("");
    const byId = parseReply(a.send("CLIENT", "LIST", "ID", b.client.id, 999, a.client.id)) as string;
    expect(byId.split("\n").filter(Boolean).map((l) => l.split(" ")[0])).toEqual([`id=${b.client.id}`, `id=${a.client.id}`]);
    expect(a.send("CLIENT", "LIST", "TYPE", "foo")).toBe(err("ERR Unknown client type 'foo'"));
    expect(a.send("CLIENT", "LIST", "ID", "x")).toBe(err("ERR Invalid client ID"));
    expect(a.send("CLIENT", "LIST", "ID")).toBe(err("ERR syntax error"));
    expect(a.send("CLIENT", "LIST", "foo")).toBe(err("ERR syntax error"));
  });

  it("reports cmd=NULL after an unknown command, as Redis does", () => {
    const s = startSession();
    const a = s.connect();
    const b = s.connect();
    b.send("NOSUCH");
    expect(parseReply(a.send("CLIENT", "LIST", "ID", b.client.id))).toContain(" cmd=NULL ");
    b.send("CLIENT");
    expect(parseReply(a.send("CLIENT", "LIST", "ID", b.client.id))).toContain(" cmd=client ");
  });

  it("kills by address (old form) and by filters (new form)", () => {
    const s = startSession();
    const a = s.connect("10.0.0.1:1");
    const b = s.connect("10.0.0.2:2");
    const c = s.connect("10.0.0.3:3");
    c.send("SUBSCRIBE", "x");
    expect(a.send("CLIENT", "KILL", "10.0.0.9:9")).toBe(err("ERR No such client"));
    expect(a.send("CLIENT", "KILL", "10.0.0.2:2")).toBe(ok);
    expect(b.client.closeNow).toBe(true);
    expect(s.engine.clients.has(b.client.id)).toBe(false);
    expect(a.send("CLIENT", "KILL", "TYPE", "pubsub")).toBe(int(1));
    expect(s.engine.pubsub.channels.size).toBe(0);
    expect(a.send("CLIENT", "KILL", "TYPE", "normal")).toBe(int(0));
    expect(a.send("CLIENT", "KILL", "ID", a.client.id, "SKIPME", "no")).toBe(int(1));
    expect(a.client.closeAfterReply).toBe(true);
  });

  it("refuses malformed CLIENT KILL filters with Redis's errors", () => {
    const a = startSession().connect();
    expect(a.send("CLIENT", "KILL", "ID", "x")).toBe(err("ERR client-id should be greater than 0"));
    expect(a.send("CLIENT", "KILL", "ID", 0)).toBe(err("ERR client-id should be greater than 0"));
    expect(a.send("CLIENT", "KILL", "TYPE", "foo")).toBe(err("ERR Unknown client type 'foo'"));
    expect(a.send("CLIENT", "KILL", "USER", "nobody")).toBe(err("ERR No such user 'nobody'"));
    expect(a.send("CLIENT", "KILL", "SKIPME", "maybe")).toBe(err("ERR syntax error"));
    expect(a.send("CLIENT", "KILL", "ADDR", "1.2.3.4:5", "ID")).toBe(err("ERR syntax error"));
    expect(a.send("CLIENT", "KILL", "USER", "default")).toBe(int(0));
  });

  it("unblocks a blocked client with its timeout reply or an UNBLOCKED error, then runs its pipeline", () => {
    const s = startSession();
    const a = s.connect();
    const b = s.connect();
    expect(b.write("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n")).toBe("");
    expect(b.client.blocked).toBeDefined();
    expect(a.send("CLIENT", "UNBLOCK", b.client.id)).toBe(int(1));
    expect(b.take()).toBe(NIL_ARRAY + simple("PONG"));
    expect(a.send("CLIENT", "UNBLOCK", b.client.id)).toBe(int(0));
    b.send("BLPOP", "q", 0);
    expect(a.send("CLIENT", "UNBLOCK", b.client.id, "ERROR")).toBe(int(1));
    expect(b.take()).toBe(err("UNBLOCKED client unblocked via CLIENT UNBLOCK"));
    expect(a.send("CLIENT", "UNBLOCK", b.client.id, "foo")).toBe(err("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"));
    expect(a.send("CLIENT", "UNBLOCK", "x")).toBe(err("ERR value is not an integer or out of range"));
    expect(a.send("CLIENT", "UNBLOCK", 1, 2, 3)).toBe(err("ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT HELP."));
  });

  it("stops and restarts replies with CLIENT REPLY OFF, ON and SKIP", () => {
    const c = startSession().connect();
    expect(c.send("CLIENT", "REPLY", "OFF")).toBe("");
    expect(c.send("SET", "k", "v")).toBe("");
    expect(c.send("NOSUCH")).toBe("");
    expect(c.send("CLIENT", "REPLY", "ON")).toBe(ok);
    expect(c.send("CLIENT", "REPLY", "SKIP")).toBe("");
    expect(c.send("GET", "k")).toBe("");
    expect(c.send("GET", "k")).toBe(bulk("v"));
    expect(c.send("CLIENT", "REPLY", "maybe")).toBe(err("ERR syntax error"));
  });

  it("answers the tracking and eviction switches it accepts", () => {
    const c = startSession().connect();
    expect(c.send("CLIENT", "GETREDIR")).toBe(int(-1));
    expect(c.send("CLIENT", "TRACKINGINFO")).toBe(array(bulk("flags"), array(bulk("off")), bulk("redirect"), int(-1), bulk("prefixes"), array()));
    expect(c.send("CLIENT", "NO-EVICT", "on")).toBe(ok);
    expect(c.client.noEvict).toBe(true);
    expect(c.send("CLIENT", "NO-EVICT", "x")).toBe(err("ERR syntax error"));
    expect(c.send("CLIENT", "TRACKING", "on")).toBe(err("ERR unknown subcommand 'TRACKING'. Try CLIENT HELP."));
    expect(c.send("CLIENT")).toBe(err("ERR wrong number of arguments for 'client' command"));
    const help = parseReply(c.send("CLIENT", "HELP")) as string[];
    expect(help[0]).toBe("CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    expect(help.slice(-2)).toEqual(["HELP", "    Prints this help."]);
  });

  it("holds commands during CLIENT PAUSE (all, or writes only) and runs them in order when it ends", () => {
    const s = startSession();
    const a = s.connect();
    const b = s.connect();
    expect(a.send("CLIENT", "PAUSE", 1000, "WRITE")).toBe(ok);
    expect(b.send("GET", "k")).toBe(NIL);
    expect(b.write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")).toBe("");
    expect(s.engine.nextWakeMs()).toBe(s.clock.nowMs() + 1000);
    expect(parseReply(a.send("CLIENT", "LIST", "ID", b.client.id))).toContain(" flags=b ");
    s.clock.advance(1000);
    s.engine.wake();
    expect(b.take()).toBe(ok + bulk("v"));
    expect(a.send("CLIENT", "PAUSE", 500)).toBe(ok);
    expect(b.send("PING")).toBe("");
    expect(a.send("CLIENT", "UNPAUSE")).toBe("");
    s.clock.advance(500);
    s.engine.wake();
    expect(b.take()).toBe(simple("PONG"));
    expect(a.take()).toBe(ok);
    expect(a.send("CLIENT", "PAUSE", 500)).toBe(ok);
    expect(a.send("CLIENT", "UNPAUSE")).toBe("");
    s.engine.unpauseClients();
    s.engine.wake();
    expect(a.take()).toBe(ok);
    expect(a.send("CLIENT", "PAUSE", -1)).toBe(err("ERR timeout is negative"));
    expect(a.send("CLIENT", "PAUSE", "x")).toBe(err("ERR timeout is not an integer or out of range"));
    expect(a.send("CLIENT", "PAUSE", 1, "foo")).toBe(err("ERR CLIENT PAUSE mode must be WRITE or ALL"));
  });
});

describe("DBSIZE, FLUSHDB, FLUSHALL, TIME", () => {
  it("counts and flushes keys per database, accepting ASYNC and SYNC", () => {
    const s = startSession();
    const c = s.connect();
    c.send("SET", "a", 1);
    c.send("SET", "b", 2);
    c.send("SELECT", 1);
    c.send("SET", "c", 3);
    expect(c.send("DBSIZE")).toBe(int(1));
    expect(c.send("FLUSHDB", "ASYNC")).toBe(ok);
    expect(c.send("DBSIZE")).toBe(int(0));
    c.send("SELECT", 0);
    expect(c.send("DBSIZE")).toBe(int(2));
    expect(c.send("FLUSHDB", "foo")).toBe(err("ERR syntax error"));
    expect(c.send("FLUSHALL", "SYNC", "x")).toBe(err("ERR syntax error"));
    expect(c.send("FLUSHALL", "sync")).toBe(ok);
    expect(c.send("DBSIZE")).toBe(int(0));
    expect(s.engine.ledger.bytes).toBe(0);
  });

  it("invalidates WATCH on keys that existed, and reaches replicas even when empty", () => {
    const s = startSession();
    const a = s.connect();
    a.send("SET", "present", 1);
    const watcher = s.connect();
    watcher.send("WATCH", "present");
    const other = s.connect();
    other.send("WATCH", "absent");
    a.send("FLUSHDB");
    expect(watcher.client.casDirty).toBe(true);
    expect(other.client.casDirty).toBe(false);
    s.propagated.length = 0;
    a.send("FLUSHALL");
    expect(s.propagated).toEqual([[0, ["FLUSHALL"]]]);
  });

  it("tells the time of the event in seconds and microseconds", () => {
    const s = startSession();
    s.clock.set(1_700_000_123_456.789);
    expect(s.connect().send("TIME")).toBe(bulks("1700000123", "456789"));
  });
});

describe("INFO", () => {
  it("prints the default sections in Redis's order, separated by blank lines", () => {
    const s = startSession();
    const text = parseReply(s.connect().send("INFO")) as string;
    expect([...parseInfo(text).keys()]).toEqual(["Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Modules", "Errorstats", "Cluster", "Keyspace"]);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text).toContain("\r\n\r\n# Clients\r\n");
    const server = parseInfo(text).get("Server")!;
    expect(server.get("redis_version")).toBe("7.0.15");
    expect(server.get("shardline_version")).toBe(SHARDLINE_VERSION);
    expect(server.get("run_id")).toBe(s.engine.runId);
    expect(server.get("redis_mode")).toBe("standalone");
  });

  it("selects sections by name, all and everything, and nothing for unknown names", () => {
    const c = startSession().connect();
    const sections = (...args: string[]) => [...parseInfo(parseReply(c.send("INFO", ...args)) as string).keys()];
    expect(sections("keyspace", "SERVER")).toEqual(["Server", "Keyspace"]);
    expect(sections("all")).toContain("Commandstats");
    expect(sections("everything")).toContain("Latencystats");
    expect(sections("default")).not.toContain("Commandstats");
    expect(c.send("INFO", "nosuch")).toBe(bulk(""));
  });

  it("counts commands, errors and keyspace hits, and reports databases", () => {
    const s = startSession();
    const c = s.connect();
    c.send("SET", "k", "v");
    c.send("GET", "k");
    c.send("GET", "nope");
    c.send("NOSUCH");
    c.send("GET");
    c.send("PEXPIRE", "k", 5000);
    const info = parseInfo(parseReply(c.send("INFO", "all")) as string);
    expect(info.get("Stats")!.get("keyspace_hits")).toBe("1");
    expect(info.get("Stats")!.get("keyspace_misses")).toBe("1");
    expect(info.get("Stats")!.get("total_error_replies")).toBe("2");
    expect(info.get("Errorstats")!.get("errorstat_ERR")).toBe("count=2");
    expect(info.get("Commandstats")!.get("cmdstat_get")).toMatch(/^calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0$/);
    expect(info.get("Keyspace")!.get("db0")).toBe("keys=1,expires=1,avg_ttl=5000");
    expect(info.get("Latencystats")!.get("latency_percentiles_usec_get")).toMatch(/^p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}$/);
    expect(c.send("CONFIG", "RESETSTAT")).toBe(ok);
    const after = parseInfo(parseReply(c.send("INFO", "stats", "commandstats")) as string);
    expect(after.get("Stats")!.get("keyspace_hits")).toBe("0");
    expect([...after.get("Commandstats")!.keys()]).toEqual(["cmdstat_config|resetstat"]);
  });

  it("reports used_memory as the ledger plus the documented baseline, and maxmemory settings", () => {
    const s = startSession([["maxmemory", "10mb"], ["maxmemory-policy", "allkeys-lru"]]);
    const c = s.connect();
    c.send("SET", "k", "x".repeat(1000));
    const memory = parseInfo(parseReply(c.send("INFO", "memory")) as string).get("Memory")!;
    expect(Number(memory.get("used_memory"))).toBe(s.engine.usedMemoryBytes());
    expect(Number(memory.get("used_memory_dataset"))).toBe(s.engine.ledger.bytes);
    expect(Number(memory.get("used_memory")) - Number(memory.get("used_memory_startup"))).toBe(s.engine.ledger.bytes);
    expect(memory.get("maxmemory")).toBe("10485760");
    expect(memory.get("maxmemory_human")).toBe("10.00M");
    expect(memory.get("maxmemory_policy")).toBe("allkeys-lru");
  });

  it("describes a standalone primary in the replication section", () => {
    const s = startSession();
    const replication = parseInfo(parseReply(s.connect().send("INFO", "replication")) as string).get("Replication")!;
    expect([...replication.keys()]).toEqual([
      "role", "connected_slaves", "master_failover_state", "master_replid", "master_replid2", "master_repl_offset", "second_repl_offset",
      "repl_backlog_active", "repl_backlog_size", "repl_backlog_first_byte_offset", "repl_backlog_histlen",
    ]);
    expect(replication.get("role")).toBe("master");
    expect(replication.get("master_replid")).toMatch(/^[0-9a-f]{40}$/);
    expect(replication.get("master_replid")).toBe(s.engine.replication.core.replicationId);
    expect(replication.get("master_replid2")).toBe("0".repeat(40));
  });

  it("takes CPU and RSS figures from the runtime's seam", () => {
    const s = startSession();
    s.engine.process.resourceUsage = () => ({ cpuUserSeconds: 1.5, cpuSystemSeconds: 0.25, rssBytes: 5 * 1024 * 1024 });
    const info = parseInfo(parseReply(s.connect().send("INFO", "cpu", "memory")) as string);
    expect(info.get("CPU")!.get("used_cpu_user")).toBe("1.500000");
    expect(info.get("CPU")!.get("used_cpu_sys")).toBe("0.250000");
    expect(info.get("Memory")!.get("used_memory_rss_human")).toBe("5.00M");
  });

  it("is a verbatim string in RESP3", () => {
    const c = startSession().connect();
    c.send("HELLO", 3);
    expect(c.send("INFO", "cluster")).toBe("=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n");
  });

  it("keeps its version constant in step with the package", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(SHARDLINE_VERSION).toBe(pkg.version);
  });
});

describe("COMMAND", () => {
  it("describes a command with Redis 7's ten fields", () => {
    const c = startSession().connect();
    expect(c.send("COMMAND", "INFO", "echo")).toBe(
      array(
        array(
          bulk("echo"), int(2), array(simple("loading"), simple("stale"), simple("fast")), int(0), int(0), int(0),
          array(simple("@fast"), simple("@connection")), array(), array(), array(),
        ),
      ),
    );
    expect(c.send("COMMAND", "INFO", "nosuch", "config|get|x")).toBe(array(NIL, NIL));
  });

  it("writes key specs and subcommands, and finds subcommands by full name", () => {
    const c = startSession().connect();
    const watch = parseReply(c.send("COMMAND", "INFO", "watch")) as Reply[][];
    expect(watch[0]![8]).toEqual([
      ["flags", ["RO"], "begin_search", ["type", "index", "spec", ["index", 1]], "find_keys", ["type", "range", "spec", ["lastkey", -1, "keystep", 1, "limit", 0]]],
    ]);
    const config = parseReply(c.send("COMMAND", "INFO", "config")) as Reply[][];
    expect((config[0]![9] as Reply[][]).map((sub) => sub[0]).sort()).toEqual(["config|get", "config|help", "config|resetstat", "config|rewrite", "config|set"]);
    const sub = parseReply(c.send("COMMAND", "INFO", "CONFIG|GET")) as Reply[][];
    expect(sub[0]![0]).toBe("config|get");
  });

  it("counts and lists commands with Redis's filters", () => {
    const s = startSession();
    const c = s.connect();
    expect(c.send("COMMAND", "COUNT")).toBe(int(s.engine.commands.size));
    const all = parseReply(c.send("COMMAND")) as Reply[];
    expect(all).toHaveLength(s.engine.commands.size);
    const listed = parseReply(c.send("COMMAND", "LIST", "FILTERBY", "PATTERN", "config*")) as string[];
    expect(listed.sort()).toEqual(["config", "config|get", "config|help", "config|resetstat", "config|rewrite", "config|set"]);
    const pubsub = parseReply(c.send("COMMAND", "LIST", "FILTERBY", "ACLCAT", "pubsub")) as string[];
    expect(pubsub).toContain("publish");
    expect(pubsub).toContain("pubsub|numsub");
    expect(c.send("COMMAND", "LIST", "FILTERBY", "ACLCAT", "@pubsub")).toBe(array());
    expect(c.send("COMMAND", "LIST", "FILTERBY", "MODULE", "x")).toBe(array());
    expect(c.send("COMMAND", "LIST", "FILTERBY", "foo", "x")).toBe(err("ERR syntax error"));
    expect(c.send("COMMAND", "LIST", "x")).toBe(err("ERR syntax error"));
  });

  it("documents commands with history and nested arguments", () => {
    const c = startSession().connect();
    const docs = parseReply(c.send("COMMAND", "DOCS", "flushall", "nosuch")) as Reply[];
    expect(docs[0]).toBe("flushall");
    expect(docs[1]).toEqual([
      "summary", "Remove all keys from all databases", "since", "1.0.0", "group", "server",
      "complexity", "O(N) where N is the total number of keys in all databases",
      "history", [["4.0.0", "Added the `ASYNC` flushing mode modifier."], ["6.2.0", "Added the `SYNC` flushing mode modifier."]],
      "arguments", [["name", "async", "type", "oneof", "flags", ["optional"], "arguments", [
        ["name", "async", "type", "pure-token", "token", "ASYNC", "since", "4.0.0"],
        ["name", "sync", "type", "pure-token", "token", "SYNC", "since", "6.2.0"],
      ]]],
    ]);
    expect(docs).toHaveLength(2);
  });

  it("finds keys through key specs, keywords and key counts, with Redis's errors", () => {
    const c = startSession().connect();
    expect(c.send("COMMAND", "GETKEYS", "SET", "k", "v")).toBe(bulks("k"));
    expect(c.send("COMMAND", "GETKEYSANDFLAGS", "SET", "k", "v")).toBe(array(array(bulk("k"), array(simple("OW"), simple("update")))));
    expect(c.send("COMMAND", "GETKEYSANDFLAGS", "SET", "k", "v", "GET")).toBe(array(array(bulk("k"), array(simple("RW"), simple("access"), simple("update")))));
    expect(c.send("COMMAND", "GETKEYS", "WATCH", "a", "b")).toBe(bulks("a", "b"));
    expect(c.send("COMMAND", "GETKEYS", "NOSUCH", "a")).toBe(err("ERR Invalid command specified"));
    expect(c.send("COMMAND", "GETKEYS", "GET", "a", "b")).toBe(err("ERR Invalid number of arguments specified for command"));
    expect(c.send("COMMAND", "GETKEYS", "PUBLISH", "a", "b")).toBe(err("ERR The command has no key arguments"));
    expect(c.send("COMMAND", "GETKEYS", "SPUBLISH", "a", "b")).toBe(err("ERR The command has no key arguments"));
    expect(c.send("COMMAND", "GETKEYS", "CONFIG", "GET", "x")).toBe(err("ERR The command has no key arguments"));
  });

  it("follows keyword and keynum key specs generically (Redis's getKeysUsingKeySpecs)", () => {
    const s = startSession();
    const spec = {
      ...commandByFullName(s.engine.commands, "watch")!,
      name: "probe",
      arity: -2,
      keys: undefined,
      keySpecs: [
        { flags: ["RW", "update"], beginSearch: { type: "keyword" as const, keyword: "STORE", startFrom: 1 }, findKeys: { type: "range" as const, lastKey: 0, keyStep: 1, limit: 0 } },
        { flags: ["RO", "access"], beginSearch: { type: "index" as const, index: 1 }, findKeys: { type: "keynum" as const, keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
      ],
    };
    expect(findKeys(spec, ["probe", "2", "a", "b", "STORE", "d"])).toEqual([
      { position: 5, flags: ["RW", "update"] },
      { position: 2, flags: ["RO", "access"] },
      { position: 3, flags: ["RO", "access"] },
    ]);
    expect(findKeys(spec, ["probe", "2", "a", "b"])).toEqual([
      { position: 2, flags: ["RO", "access"] },
      { position: 3, flags: ["RO", "access"] },
    ]);
    expect(findKeys(spec, ["probe", "5", "a", "b"])).toBeUndefined();
    expect(findKeys(spec, ["probe", "x", "a"])).toBeUndefined();
  });

  it("replies COMMAND HELP as Redis words it", () => {
    const help = parseReply(startSession().connect().send("COMMAND", "HELP")) as string[];
    expect(help).toHaveLength(21);
    expect(help[1]).toBe("(no subcommand)");
  });
});

describe("dispatch", () => {
  it("counts rejections against the command, and unknown subcommands against none", () => {
    const s = startSession();
    const c = s.connect();
    c.send("CLIENT");
    c.send("CLIENT", "NOSUCH");
    c.send("DBSIZE", "x");
    expect(s.engine.stats.command("client").rejectedCalls).toBe(1);
    expect(s.engine.stats.command("dbsize").rejectedCalls).toBe(1);
    expect(c.send("CLIENT", "NOSUCH")).toBe(err("ERR unknown subcommand 'NOSUCH'. Try CLIENT HELP."));
  });

  it("counts an error a handler throws as a failed call and in errorstats", () => {
    const s = startSession();
    const c = s.connect();
    c.send("PING", "a", "b");
    expect(s.engine.stats.command("ping").failedCalls).toBe(1);
    expect(s.engine.stats.errors.get("ERR")).toBe(1);
  });

  it("answers replies of pipelined commands in order", () => {
    const c = startSession().connect();
    const replies = parseReplies(c.write("PING\r\nECHO hi\r\nDBSIZE\r\n"));
    expect(replies).toEqual(["PONG", "hi", 0]);
  });
});
