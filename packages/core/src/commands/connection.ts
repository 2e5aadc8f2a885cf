import type { Client } from "../engine/client.js";
import type { CommandContext } from "../engine/context.js";
import { REDIS_VERSION } from "../engine/info.js";
import { CommandError, Errors } from "../errors.js";
import { parseInt64, parseInteger, requireInteger } from "../util/parse.js";
import type { CommandSpec } from "./spec.js";

/**
 * Connection commands: PING, ECHO, HELLO, AUTH, SELECT, QUIT, RESET and the
 * CLIENT family, with Redis 7.0.15's replies and error texts. shardline has
 * one user, `default`, whose password is `requirepass` (no ACL file).
 */

/** The only ACL user: Redis's default user, passwordless unless requirepass is set. */
const DEFAULT_USER = "default";

const INVALID_CLIENT_NAME = "ERR Client names cannot contain spaces, newlines or special characters.";

/** Redis's addReplySubcommandSyntaxError, for a subcommand given the wrong arguments. */
function subcommandSyntaxError(ctx: CommandContext): CommandError {
  const container = ctx.args[0]!.toUpperCase();
  return new CommandError(`ERR unknown subcommand or wrong number of arguments for '${ctx.args[1]!.slice(0, 128)}'. Try ${container} HELP.`);
}

/** Redis's addReplyHelp: the title line, the lines given, and HELP's own. */
export function writeHelp(ctx: CommandContext, lines: readonly string[]): void {
  const title = `${ctx.args[0]!.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`;
  ctx.reply.arrayHeader(lines.length + 3);
  ctx.reply.simple(title);
  for (const line of lines) ctx.reply.simple(line);
  ctx.reply.simple("HELP");
  ctx.reply.simple("    Prints this help.");
}

function pingCommand(ctx: CommandContext): void {
  const { args, reply, client } = ctx;
  if (args.length > 2) throw new CommandError(Errors.wrongArity("ping"));
  if (client.protocol === 2 && client.subscriptionCount > 0) {
    reply.arrayHeader(2);
    reply.bulk("pong");
    reply.bulk(args[1] ?? "");
    return;
  }
  if (args.length === 2) reply.bulk(args[1]!);
  else reply.simple("PONG");
}

function echoCommand(ctx: CommandContext): void {
  ctx.reply.bulk(ctx.args[1]!);
}

/** Checks a password for the default user (Redis's ACLAuthenticateUser, with one user). */
function passwordMatches(ctx: CommandContext, username: string, password: string): boolean {
  if (username !== DEFAULT_USER) return false;
  const required = ctx.engine.config.get("requirepass");
  return required === "" || password === required;
}

function authenticate(client: Client): void {
  client.authenticated = true;
  client.decoder.authenticated = true;
}

/** Client names are printable ASCII without spaces (Redis's validateClientName). */
function validClientName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) return false;
  }
  return true;
}

function setClientName(client: Client, name: string): void {
  if (!validClientName(name)) throw new CommandError(INVALID_CLIENT_NAME);
  client.name = name;
}

/**
 * HELLO [protover [AUTH username password] [SETNAME name]]: options are
 * applied in order (SETNAME before the authentication check, as in Redis);
 * the protocol switches only once the client is authenticated, and the
 * reply is written in the new protocol.
 */
function helloCommand(ctx: CommandContext): void {
  const { args, client } = ctx;
  let version = 0;
  let next = 1;
  if (args.length >= 2) {
    const parsed = parseInteger(args[next++]!);
    if (parsed === undefined) throw new CommandError("ERR Protocol version is not an integer or out of range");
    if (parsed < 2 || parsed > 3) throw new CommandError("NOPROTO unsupported protocol version");
    version = parsed;
  }
  for (let j = next; j < args.length; j++) {
    const more = args.length - 1 - j;
    const option = args[j]!.toLowerCase();
    if (option === "auth" && more >= 2) {
      if (!passwordMatches(ctx, args[j + 1]!, args[j + 2]!)) throw new CommandError(Errors.wrongPass);
      authenticate(client);
      j += 2;
    } else if (option === "setname" && more >= 1) {
      setClientName(client, args[j + 1]!);
      j++;
    } else {
      throw new CommandError(`ERR Syntax error in HELLO option '${args[j]!.slice(0, 128)}'`);
    }
  }
  if (!client.authenticated) {
    throw new CommandError(
      "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
    );
  }
  if (version !== 0) client.writer.protocol = version as 2 | 3;
  const reply = ctx.reply;
  reply.mapHeader(7);
  reply.bulk("server");
  reply.bulk("redis");
  reply.bulk("version");
  reply.bulk(REDIS_VERSION);
  reply.bulk("proto");
  reply.integer(client.protocol);
  reply.bulk("id");
  reply.integer(client.id);
  reply.bulk("mode");
  reply.bulk(ctx.engine.config.boolean("cluster-enabled") ? "cluster" : "standalone");
  reply.bulk("role");
  reply.bulk("master");
  reply.bulk("modules");
  reply.arrayHeader(0);
}

function authCommand(ctx: CommandContext): void {
  const { args } = ctx;
  if (args.length > 3) throw new CommandError(Errors.syntax);
  let username = DEFAULT_USER;
  let password = args[1]!;
  if (args.length === 2) {
    if (ctx.engine.config.get("requirepass") === "") {
      throw new CommandError(
        "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
      );
    }
  } else {
    username = args[1]!;
    password = args[2]!;
  }
  if (!passwordMatches(ctx, username, password)) throw new CommandError(Errors.wrongPass);
  authenticate(ctx.client);
  ctx.reply.ok();
}

/** SELECT: 0..databases-1; cluster mode has database 0 only. */
function selectCommand(ctx: CommandContext): void {
  const wide = parseInt64(ctx.args[1]!);
  if (wide === undefined) throw new CommandError(Errors.notInteger);
  if (wide < -2147483648n || wide > 2147483647n) {
    throw new CommandError("ERR value is out of range, value must between -2147483648 and 2147483647");
  }
  const id = Number(wide);
  if (ctx.engine.config.boolean("cluster-enabled") && id !== 0) throw new CommandError(Errors.selectInCluster);
  if (id < 0 || id >= ctx.engine.dbs.length) throw new CommandError(Errors.invalidDbIndex);
  ctx.client.dbId = id;
  ctx.reply.ok();
}

function quitCommand(ctx: CommandContext): void {
  ctx.reply.ok();
  ctx.client.closeAfterReply = true;
}

/**
 * RESET: back to a fresh connection's state (Redis's
 * clearClientConnectionState): database 0, RESP2, the default
 * authentication, no transaction or WATCH, no subscriptions, no name, replies
 * on, no READONLY or ASKING.
 */
function resetCommand(ctx: CommandContext): void {
  const { client, engine } = ctx;
  client.dbId = 0;
  client.writer.protocol = 2;
  const authenticated = engine.config.get("requirepass") === "";
  client.authenticated = authenticated;
  client.decoder.authenticated = authenticated;
  client.multi = undefined;
  engine.unwatchAll(client);
  engine.pubsub.removeClient(client);
  client.name = "";
  client.replyMode = "on";
  client.readOnlyMode = false;
  client.asking = false;
  ctx.reply.simple("RESET");
}

// ---------------------------------------------------------------- CLIENT

const CLIENT_HELP = [
  "GETREDIR",
  "    Return the client ID we are redirecting to when tracking is enabled.",
  "GETNAME",
  "    Return the name of the current connection.",
  "ID",
  "    Return the ID of the current connection.",
  "INFO",
  "    Return information about the current client connection.",
  "KILL <ip:port>",
  "    Kill connection made from <ip:port>.",
  "KILL <option> <value> [<option> <value> [...]]",
  "    Kill connections. Options are:",
  "    * ADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made from the specified address",
  "    * LADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made to specified local address",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Kill connections by type.",
  "    * USER <username>",
  "      Kill connections authenticated by <username>.",
  "    * SKIPME (YES|NO)",
  "      Skip killing current connection (default: yes).",
  "LIST [options ...]",
  "    Return information about client connections. Options:",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Return clients of specified type.",
  "UNPAUSE",
  "    Stop the current client pause, resuming traffic.",
  "PAUSE <timeout> [WRITE|ALL]",
  "    Suspend all, or just write, clients for <timeout> milliseconds.",
  "REPLY (ON|OFF|SKIP)",
  "    Control the replies sent to the current connection.",
  "SETNAME <name>",
  "    Assign the name <name> to the current connection.",
  "UNBLOCK <clientid> [TIMEOUT|ERROR]",
  "    Unblock the specified blocked client.",
  "TRACKINGINFO",
  "    Report tracking status for the current connection.",
  "NO-EVICT (ON|OFF)",
  "    Protect current client connection from eviction.",
];

/** Client types as CLIENT LIST TYPE and CLIENT KILL TYPE name them (Redis's getClientTypeByName). */
type ClientType = "normal" | "replica" | "pubsub" | "master";

function clientTypeByName(name: string): ClientType | undefined {
  switch (name.toLowerCase()) {
    case "normal":
      return "normal";
    case "slave":
    case "replica":
      return "replica";
    case "pubsub":
      return "pubsub";
    case "master":
      return "master";
    default:
      return undefined;
  }
}

/** Every connection of this engine is a normal or pub/sub client; replication links are not clients here. */
function clientType(client: Client): ClientType {
  return client.subscriptionCount > 0 ? "pubsub" : "normal";
}

/** The letters of CLIENT LIST's `flags=`, in Redis's order (N when none). */
function clientFlags(client: Client): string {
  let flags = "";
  if (client.subscriptionCount > 0) flags += "P";
  if (client.multi !== undefined) flags += "x";
  if (client.blocked !== undefined || client.postponed !== undefined) flags += "b";
  if (client.casDirty) flags += "d";
  if (client.closeAfterReply) flags += "c";
  if (client.closeNow) flags += "A";
  if (client.readOnlyMode) flags += "r";
  if (client.noEvict) flags += "e";
  return flags === "" ? "N" : flags;
}

function argumentBytes(args: readonly string[] | undefined): number {
  let bytes = 0;
  for (const arg of args ?? []) bytes += arg.length;
  return bytes;
}

/**
 * One CLIENT LIST / CLIENT INFO line, Redis 7.0's fields in Redis's order.
 * Buffers are shardline's own: the query buffer is what the decoder holds,
 * the output buffer what has not been written yet, and there is no fixed
 * reply buffer (rbs and rbp are 0). `current` is the command being run by
 * the client asking, whose arguments count as argv-mem.
 */
export function clientInfoLine(ctx: CommandContext, client: Client): string {
  const nowMs = ctx.nowMs;
  const argv = client === ctx.client ? ctx.args : (client.blocked?.args ?? client.postponed);
  const argvBytes = argumentBytes(argv);
  const multiBytes = client.multi?.queue.reduce((sum, queued) => sum + argumentBytes(queued.args), 0) ?? 0;
  const queryBytes = client.decoder.bufferedBytes;
  const outputBytes = client.writer.pendingBytes;
  const fields = [
    `id=${client.id}`,
    `addr=${client.connection.address}`,
    `laddr=${client.connection.localAddress}`,
    `fd=${client.connection.fd ?? -1}`,
    `name=${client.name}`,
    `age=${Math.floor((nowMs - client.createdMs) / 1000)}`,
    `idle=${Math.floor((nowMs - client.lastInteractionMs) / 1000)}`,
    `flags=${clientFlags(client)}`,
    `db=${client.dbId}`,
    `sub=${client.channels.size}`,
    `psub=${client.patterns.size}`,
    `ssub=${client.shardChannels.size}`,
    `multi=${client.multi === undefined ? -1 : client.multi.queue.length}`,
    `qbuf=${queryBytes}`,
    `qbuf-free=0`,
    `argv-mem=${argvBytes}`,
    `multi-mem=${multiBytes}`,
    `rbs=0`,
    `rbp=0`,
    `obl=${outputBytes}`,
    `oll=0`,
    `omem=${outputBytes}`,
    `tot-mem=${queryBytes + argvBytes + multiBytes + outputBytes}`,
    `events=r`,
    `cmd=${client.lastCommand}`,
    `user=${DEFAULT_USER}`,
    `redir=-1`,
    `resp=${client.protocol}`,
  ];
  return fields.join(" ");
}

function clientIdCommand(ctx: CommandContext): void {
  ctx.reply.integer(ctx.client.id);
}

function clientInfoCommand(ctx: CommandContext): void {
  ctx.reply.verbatim(clientInfoLine(ctx, ctx.client) + "\n");
}

/** CLIENT LIST [TYPE type] | [ID id ...]: each listed once per time asked, in connection order. */
function clientListCommand(ctx: CommandContext): void {
  const { args, engine } = ctx;
  let clients: Client[];
  if (args.length === 2) {
    clients = [...engine.clients.values()];
  } else if (args.length === 4 && args[2]!.toLowerCase() === "type") {
    const type = clientTypeByName(args[3]!);
    if (type === undefined) throw new CommandError(`ERR Unknown client type '${args[3]}'`);
    clients = [...engine.clients.values()].filter((client) => clientType(client) === type);
  } else if (args.length > 3 && args[2]!.toLowerCase() === "id") {
    clients = [];
    for (const text of args.slice(3)) {
      const id = parseInteger(text);
      if (id === undefined) throw new CommandError("ERR Invalid client ID");
      const client = engine.clients.get(id);
      if (client !== undefined) clients.push(client);
    }
  } else {
    throw new CommandError(Errors.syntax);
  }
  ctx.reply.verbatim(clients.map((client) => clientInfoLine(ctx, client) + "\n").join(""));
}

function clientGetnameCommand(ctx: CommandContext): void {
  if (ctx.client.name === "") ctx.reply.nullBulk();
  else ctx.reply.bulk(ctx.client.name);
}

function clientSetnameCommand(ctx: CommandContext): void {
  setClientName(ctx.client, ctx.args[2]!);
  ctx.reply.ok();
}

/** The filters of CLIENT KILL's new form; an unset filter matches every client. */
interface KillFilter {
  address?: string;
  localAddress?: string;
  type?: ClientType;
  id?: number;
  skipMe: boolean;
}

function parseKillFilter(ctx: CommandContext): KillFilter {
  const args = ctx.args;
  const filter: KillFilter = { skipMe: true };
  for (let i = 2; i < args.length; i += 2) {
    const option = args[i]!.toLowerCase();
    const value = args[i + 1];
    if (value === undefined) throw new CommandError(Errors.syntax);
    if (option === "id") {
      const id = parseInteger(value);
      if (id === undefined || id < 1) throw new CommandError("ERR client-id should be greater than 0");
      filter.id = id;
    } else if (option === "type") {
      filter.type = clientTypeByName(value);
      if (filter.type === undefined) throw new CommandError(`ERR Unknown client type '${value}'`);
    } else if (option === "addr") {
      filter.address = value;
    } else if (option === "laddr") {
      filter.localAddress = value;
    } else if (option === "user") {
      if (value !== DEFAULT_USER) throw new CommandError(`ERR No such user '${value}'`);
    } else if (option === "skipme") {
      const lower = value.toLowerCase();
      if (lower !== "yes" && lower !== "no") throw new CommandError(Errors.syntax);
      filter.skipMe = lower === "yes";
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  return filter;
}

function killMatches(filter: KillFilter, client: Client, self: Client): boolean {
  if (filter.address !== undefined && client.connection.address !== filter.address) return false;
  if (filter.localAddress !== undefined && client.connection.localAddress !== filter.localAddress) return false;
  if (filter.type !== undefined && clientType(client) !== filter.type) return false;
  if (filter.id !== undefined && client.id !== filter.id) return false;
  return !(client === self && filter.skipMe);
}

/**
 * CLIENT KILL ip:port (old form: may kill the caller, "+OK" or "No such
 * client") or CLIENT KILL <filter> <value> ... (new form: SKIPME yes by
 * default, replies the number killed). The caller is closed after its reply.
 */
function clientKillCommand(ctx: CommandContext): void {
  const { args, engine, client: self } = ctx;
  const oldForm = args.length === 3;
  const filter: KillFilter = oldForm ? { address: args[2]!, skipMe: false } : parseKillFilter(ctx);
  let killed = 0;
  for (const client of [...engine.clients.values()]) {
    if (!killMatches(filter, client, self)) continue;
    if (client === self) self.closeAfterReply = true;
    else engine.kill(client);
    killed++;
  }
  if (!oldForm) ctx.reply.integer(killed);
  else if (killed === 0) throw new CommandError("ERR No such client");
  else ctx.reply.ok();
}

function clientNoEvictCommand(ctx: CommandContext): void {
  const mode = ctx.args[2]!.toLowerCase();
  if (mode !== "on" && mode !== "off") throw new CommandError(Errors.syntax);
  ctx.client.noEvict = mode === "on";
  ctx.reply.ok();
}

/** CLIENT REPLY ON|OFF|SKIP; the engine drops the replies. OFF and SKIP reply nothing themselves. */
function clientReplyCommand(ctx: CommandContext): void {
  const { client } = ctx;
  switch (ctx.args[2]!.toLowerCase()) {
    case "on":
      client.replyMode = "on";
      ctx.reply.ok();
      return;
    case "off":
      client.replyMode = "off";
      return;
    case "skip":
      if (client.replyMode !== "off") client.replyMode = "skip";
      return;
    default:
      throw new CommandError(Errors.syntax);
  }
}

/** CLIENT UNBLOCK id [TIMEOUT|ERROR]: the blocked client gets its timeout reply, or an UNBLOCKED error. */
function clientUnblockCommand(ctx: CommandContext): void {
  const { args, engine } = ctx;
  if (args.length > 4) throw subcommandSyntaxError(ctx);
  let error: string | undefined;
  if (args.length === 4) {
    const reason = args[3]!.toLowerCase();
    if (reason === "error") error = "UNBLOCKED client unblocked via CLIENT UNBLOCK";
    else if (reason !== "timeout") throw new CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
  }
  const target = engine.clients.get(requireInteger(args[2]!));
  if (target === undefined || target.blocked === undefined) {
    ctx.reply.integer(0);
    return;
  }
  engine.releaseBlocked(target, error);
  ctx.reply.integer(1);
}

/** CLIENT PAUSE timeout [WRITE|ALL]: commands wait (all of them, or those that write) until the time has passed. */
function clientPauseCommand(ctx: CommandContext): void {
  const { args } = ctx;
  if (args.length > 4) throw subcommandSyntaxError(ctx);
  let mode: "all" | "write" = "all";
  if (args.length === 4) {
    const word = args[3]!.toLowerCase();
    if (word !== "write" && word !== "all") throw new CommandError("ERR CLIENT PAUSE mode must be WRITE or ALL");
    mode = word;
  }
  const timeoutMs = parseInteger(args[2]!);
  if (timeoutMs === undefined) throw new CommandError("ERR timeout is not an integer or out of range");
  if (timeoutMs < 0) throw new CommandError(Errors.timeoutNegative);
  ctx.engine.pauseClients(mode, ctx.nowMs + timeoutMs);
  ctx.reply.ok();
}

function clientUnpauseCommand(ctx: CommandContext): void {
  ctx.engine.unpauseClients();
  ctx.reply.ok();
}

/** Client-side caching is not supported, so no client is ever redirecting. */
function clientGetredirCommand(ctx: CommandContext): void {
  ctx.reply.integer(-1);
}

function clientTrackinginfoCommand(ctx: CommandContext): void {
  const reply = ctx.reply;
  reply.mapHeader(3);
  reply.bulk("flags");
  reply.setHeader(1);
  reply.bulk("off");
  reply.bulk("redirect");
  reply.integer(-1);
  reply.bulk("prefixes");
  reply.arrayHeader(0);
}

function clientHelpCommand(ctx: CommandContext): void {
  writeHelp(ctx, CLIENT_HELP);
}

/* Command metadata below is what Redis 7.0.15 reports in COMMAND INFO and COMMAND DOCS. */
export const CONNECTION_COMMANDS: CommandSpec[] = [
  {
    name: "ping",
    arity: -1,
    flags: ["fast"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["fast", "connection"],
    group: "connection",
    since: "1.0.0",
    summary: "Ping the server",
    complexity: "O(1)",
    tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
    arguments: [
      { name: "message", type: "string", flags: ["optional"] },
    ],
    handler: pingCommand,
  },
  {
    name: "echo",
    arity: 2,
    flags: ["loading", "stale", "fast"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["fast", "connection"],
    group: "connection",
    since: "1.0.0",
    summary: "Echo the given string",
    complexity: "O(1)",
    arguments: [
      { name: "message", type: "string" },
    ],
    handler: echoCommand,
  },
  {
    name: "hello",
    arity: -1,
    flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["fast", "connection"],
    group: "connection",
    since: "6.0.0",
    summary: "Handshake with Redis",
    complexity: "O(1)",
    history: [["6.2.0", "`protover` made optional; when called without arguments the command reports the current connection's context."]],
    arguments: [
      { name: "arguments", type: "block", flags: ["optional"], arguments: [
        { name: "protover", type: "integer" },
        { name: "username_password", type: "block", token: "AUTH", flags: ["optional"], arguments: [
          { name: "username", type: "string" },
          { name: "password", type: "string" },
        ] },
        { name: "clientname", type: "string", token: "SETNAME", flags: ["optional"] },
      ] },
    ],
    handler: helloCommand,
  },
  {
    name: "auth",
    arity: -2,
    flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["fast", "connection"],
    group: "connection",
    since: "1.0.0",
    summary: "Authenticate to the server",
    complexity: "O(N) where N is the number of passwords defined for the user",
    history: [["6.0.0", "Added ACL style (username and password)."]],
    arguments: [
      { name: "username", type: "string", since: "6.0.0", flags: ["optional"] },
      { name: "password", type: "string" },
    ],
    handler: authCommand,
  },
  {
    name: "select",
    arity: 2,
    flags: ["loading", "stale", "fast"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["fast", "connection"],
    group: "connection",
    since: "1.0.0",
    summary: "Change the selected database for the current connection",
    complexity: "O(1)",
    arguments: [
      { name: "index", type: "integer" },
    ],
    handler: selectCommand,
  },
  {
    name: "quit",
    arity: -1,
    flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["fast", "connection"],
    group: "connection",
    since: "1.0.0",
    summary: "Close the connection",
    complexity: "O(1)",
    handler: quitCommand,
  },
  {
    name: "reset",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["fast", "connection"],
    group: "connection",
    since: "6.2.0",
    summary: "Reset the connection",
    complexity: "O(1)",
    handler: resetCommand,
  },
  {
    name: "client",
    arity: -2,
    flags: [],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["slow"],
    group: "connection",
    since: "2.4.0",
    summary: "A container for client connection commands",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "client|getname",
        arity: 2,
        flags: ["noscript", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["slow", "connection"],
        group: "connection",
        since: "2.6.9",
        summary: "Get the current connection name",
        complexity: "O(1)",
        handler: clientGetnameCommand,
      },
      {
        name: "client|getredir",
        arity: 2,
        flags: ["noscript", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["slow", "connection"],
        group: "connection",
        since: "6.0.0",
        summary: "Get tracking notifications redirection client ID if any",
        complexity: "O(1)",
        handler: clientGetredirCommand,
      },
      {
        name: "client|help",
        arity: 2,
        flags: ["loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["slow", "connection"],
        group: "connection",
        since: "5.0.0",
        summary: "Show helpful text about the different subcommands",
        complexity: "O(1)",
        handler: clientHelpCommand,
      },
      {
        name: "client|id",
        arity: 2,
        flags: ["noscript", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["slow", "connection"],
        group: "connection",
        since: "5.0.0",
        summary: "Returns the client ID for the current connection",
        complexity: "O(1)",
        handler: clientIdCommand,
      },
      {
        name: "client|info",
        arity: 2,
        flags: ["noscript", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["slow", "connection"],
        group: "connection",
        since: "6.2.0",
        summary: "Returns information about the current client connection.",
        complexity: "O(1)",
        tips: ["nondeterministic_output"],
        handler: clientInfoCommand,
      },
      {
        name: "client|kill",
        arity: -3,
        flags: ["admin", "noscript", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["admin", "slow", "dangerous", "connection"],
        group: "connection",
        since: "2.4.0",
        summary: "Kill the connection of a client",
        complexity: "O(N) where N is the number of client connections",
        history: [["2.8.12", "Added new filter format."], ["2.8.12", "`ID` option."], ["3.2.0", "Added `master` type in for `TYPE` option."], ["5.0.0", "Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility."], ["6.2.0", "`LADDR` option."]],
        arguments: [
          { name: "filter", type: "oneof", arguments: [
            { name: "ip:port", type: "string", deprecatedSince: "2.8.12" },
            { name: "new-format", type: "oneof", flags: ["multiple"], arguments: [
              { name: "client-id", type: "integer", token: "ID", since: "2.8.12", flags: ["optional"] },
              { name: "normal_master_slave_pubsub", type: "oneof", token: "TYPE", since: "2.8.12", flags: ["optional"], arguments: [
                { name: "normal", type: "pure-token", token: "NORMAL" },
                { name: "master", type: "pure-token", token: "MASTER", since: "3.2.0" },
                { name: "slave", type: "pure-token", token: "SLAVE" },
                { name: "replica", type: "pure-token", token: "REPLICA", since: "5.0.0" },
                { name: "pubsub", type: "pure-token", token: "PUBSUB" },
              ] },
              { name: "username", type: "string", token: "USER", flags: ["optional"] },
              { name: "ip:port", type: "string", token: "ADDR", flags: ["optional"] },
              { name: "ip:port", type: "string", token: "LADDR", since: "6.2.0", flags: ["optional"] },
              { name: "yes/no", type: "string", token: "SKIPME", flags: ["optional"] },
            ] },
          ] },
        ],
        handler: clientKillCommand,
      },
      {
        name: "client|list",
        arity: -2,
        flags: ["admin", "noscript", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["admin", "slow", "dangerous", "connection"],
        group: "connection",
        since: "2.4.0",
        summary: "Get the list of client connections",
        complexity: "O(N) where N is the number of client connections",
        history: [["2.8.12", "Added unique client `id` field."], ["5.0.0", "Added optional `TYPE` filter."], ["6.0.0", "Added `user` field."], ["6.2.0", "Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter."], ["7.0.0", "Added `resp`, `multi-mem`, `rbs` and `rbp` fields."], ["7.0.3", "Added `ssub` field."]],
        tips: ["nondeterministic_output"],
        arguments: [
          { name: "normal_master_replica_pubsub", type: "oneof", token: "TYPE", since: "5.0.0", flags: ["optional"], arguments: [
            { name: "normal", type: "pure-token", token: "NORMAL" },
            { name: "master", type: "pure-token", token: "MASTER" },
            { name: "replica", type: "pure-token", token: "REPLICA" },
            { name: "pubsub", type: "pure-token", token: "PUBSUB" },
          ] },
          { name: "id", type: "block", token: "ID", since: "6.2.0", flags: ["optional"], arguments: [
            { name: "client-id", type: "integer", flags: ["multiple"] },
          ] },
        ],
        handler: clientListCommand,
      },
      {
        name: "client|no-evict",
        arity: 3,
        flags: ["admin", "noscript", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["admin", "slow", "dangerous", "connection"],
        group: "connection",
        since: "7.0.0",
        summary: "Set client eviction mode for the current connection",
        complexity: "O(1)",
        arguments: [
          { name: "enabled", type: "oneof", arguments: [
            { name: "on", type: "pure-token", token: "ON" },
            { name: "off", type: "pure-token", token: "OFF" },
          ] },
        ],
        handler: clientNoEvictCommand,
      },
      {
        name: "client|pause",
        arity: -3,
        flags: ["admin", "noscript", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["admin", "slow", "dangerous", "connection"],
        group: "connection",
        since: "2.9.50",
        summary: "Stop processing commands from clients for some time",
        complexity: "O(1)",
        history: [["6.2.0", "`CLIENT PAUSE WRITE` mode added along with the `mode` option."]],
        arguments: [
          { name: "timeout", type: "integer" },
          { name: "mode", type: "oneof", since: "6.2.0", flags: ["optional"], arguments: [
            { name: "write", type: "pure-token", token: "WRITE" },
            { name: "all", type: "pure-token", token: "ALL" },
          ] },
        ],
        handler: clientPauseCommand,
      },
      {
        name: "client|reply",
        arity: 3,
        flags: ["noscript", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["slow", "connection"],
        group: "connection",
        since: "3.2.0",
        summary: "Instruct the server whether to reply to commands",
        complexity: "O(1)",
        arguments: [
          { name: "on_off_skip", type: "oneof", arguments: [
            { name: "on", type: "pure-token", token: "ON" },
            { name: "off", type: "pure-token", token: "OFF" },
            { name: "skip", type: "pure-token", token: "SKIP" },
          ] },
        ],
        handler: clientReplyCommand,
      },
      {
        name: "client|setname",
        arity: 3,
        flags: ["noscript", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["slow", "connection"],
        group: "connection",
        since: "2.6.9",
        summary: "Set the current connection name",
        complexity: "O(1)",
        arguments: [
          { name: "connection-name", type: "string" },
        ],
        handler: clientSetnameCommand,
      },
      {
        name: "client|trackinginfo",
        arity: 2,
        flags: ["noscript", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["slow", "connection"],
        group: "connection",
        since: "6.2.0",
        summary: "Return information about server assisted client side caching for the current connection",
        complexity: "O(1)",
        handler: clientTrackinginfoCommand,
      },
      {
        name: "client|unblock",
        arity: -3,
        flags: ["admin", "noscript", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["admin", "slow", "dangerous", "connection"],
        group: "connection",
        since: "5.0.0",
        summary: "Unblock a client blocked in a blocking command from a different connection",
        complexity: "O(log N) where N is the number of client connections",
        arguments: [
          { name: "client-id", type: "integer" },
          { name: "timeout_error", type: "oneof", flags: ["optional"], arguments: [
            { name: "timeout", type: "pure-token", token: "TIMEOUT" },
            { name: "error", type: "pure-token", token: "ERROR" },
          ] },
        ],
        handler: clientUnblockCommand,
      },
      {
        name: "client|unpause",
        arity: 2,
        flags: ["admin", "noscript", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["admin", "slow", "dangerous", "connection"],
        group: "connection",
        since: "6.2.0",
        summary: "Resume processing of clients that were paused",
        complexity: "O(N) Where N is the number of paused clients",
        handler: clientUnpauseCommand,
      },
    ],
  },
];
