import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PARAMETERS } from "@shardline/core";
import { describe, expect, it } from "vitest";
import { parseNodeArguments, readConfigFile, settingValue, usageText, UsageError, validateSettings } from "../src/options.js";
import { RUNTIME_PARAMETERS } from "../src/runtime-parameters.js";
import { formatAddress, parseBind } from "../src/runtime.js";

function configFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "shardline-options-")), "node.conf");
  writeFileSync(path, text);
  return path;
}

function usageErrorOf(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("parseNodeArguments", () => {
  it("takes every word up to the next flag as the value, lowercasing names", () => {
    const options = parseNodeArguments(["--port", "7000", "--SAVE", "900", "1", "300", "10", "--requirepass", "s3cret"]);
    expect(options.settings).toEqual([
      { name: "port", value: "7000", origin: "--port" },
      { name: "save", value: "900 1 300 10", origin: "--SAVE" },
      { name: "requirepass", value: "s3cret", origin: "--requirepass" },
    ]);
    expect(options.configFile).toBeUndefined();
  });

  it("reads a flag with no words, or an empty word, as the empty value", () => {
    expect(parseNodeArguments(["--save", "--port", "1"]).settings[0]!.value).toBe("");
    expect(parseNodeArguments(["--save", ""]).settings[0]!.value).toBe("");
  });

  it("keeps negative numbers as values (only a double dash starts a flag)", () => {
    expect(parseNodeArguments(["--timeout", "-1"]).settings[0]!.value).toBe("-1");
  });

  it("reads a config file given first, with flags after it winning", () => {
    const path = configFile("port 7001\nmaxmemory 10mb\n");
    const options = parseNodeArguments([path, "--port", "7002"]);
    expect(options.configFile).toBe(path);
    expect(options.settings.map((s) => [s.name, s.value, s.origin])).toEqual([
      ["port", "7001", `${path}:1`],
      ["maxmemory", "10mb", `${path}:2`],
      ["port", "7002", "--port"],
    ]);
    expect(settingValue(options.settings, "port")).toBe("7002");
  });

  it("recognises --help, -h, --version and -v anywhere", () => {
    expect(parseNodeArguments(["--port", "1", "--help"]).help).toBe(true);
    expect(parseNodeArguments(["-h"]).help).toBe(true);
    expect(parseNodeArguments(["--version"]).version).toBe(true);
    expect(parseNodeArguments(["-v"]).version).toBe(true);
    expect(parseNodeArguments(["--port", "1"]).help).toBe(false);
  });

  it("refuses a word where a flag is expected, and says a config file must come first", () => {
    expect(usageErrorOf(() => parseNodeArguments(["-port", "1"]))).toBe("expected an option like --port 7000, got '-port'");
    expect(usageErrorOf(() => parseNodeArguments(["--", "1"]))).toBe("expected an option like --port 7000, got '--'");
  });
});

describe("readConfigFile", () => {
  it("skips comments and blank lines and unquotes arguments the way redis-server does", () => {
    const path = configFile('# a comment\n\n  port 7005  \r\nsave ""\nrequirepass "with space"\nbind 127.0.0.1 -::1\n');
    expect(readConfigFile(path).map((s) => [s.name, s.value, s.origin])).toEqual([
      ["port", "7005", `${path}:3`],
      ["save", "", `${path}:4`],
      ["requirepass", "with space", `${path}:5`],
      ["bind", "127.0.0.1 -::1", `${path}:6`],
    ]);
  });

  it("names the file and line of unbalanced quotes", () => {
    const path = configFile('port 1\nrequirepass "open\n');
    expect(usageErrorOf(() => readConfigFile(path))).toBe(`${path}:2: unbalanced quotes in 'requirepass "open'`);
  });

  it("refuses include with a reason", () => {
    const path = configFile("include other.conf\n");
    expect(usageErrorOf(() => readConfigFile(path))).toMatch(/:1: 'include' is not supported/);
  });

  it("says which file cannot be read and what to do", () => {
    expect(usageErrorOf(() => readConfigFile("/nonexistent/node.conf"))).toBe(
      "cannot read config file '/nonexistent/node.conf': no such file. Pass the path of a readable file, or no file at all.",
    );
  });
});

describe("validateSettings", () => {
  it("accepts every engine and runtime parameter at start-up, immutable ones included", () => {
    expect(() =>
      validateSettings([
        { name: "port", value: "7000", origin: "--port" },
        { name: "databases", value: "4", origin: "--databases" },
        { name: "maxmemory", value: "100mb", origin: "--maxmemory" },
        { name: "tcp-keepalive", value: "60", origin: "--tcp-keepalive" },
        { name: "tcp-backlog", value: "128", origin: "--tcp-backlog" },
      ]),
    ).not.toThrow();
  });

  it("names the option and what is allowed for a bad value", () => {
    expect(usageErrorOf(() => validateSettings([{ name: "maxmemory", value: "lots", origin: "--maxmemory" }]))).toBe(
      "--maxmemory: bad value for 'maxmemory': argument must be a memory value",
    );
    expect(usageErrorOf(() => validateSettings([{ name: "port", value: "70000", origin: "node.conf:3" }]))).toBe(
      "node.conf:3: bad value for 'port': argument must be between 0 and 65535 inclusive",
    );
    expect(usageErrorOf(() => validateSettings([{ name: "appendonly", value: "maybe", origin: "--appendonly" }]))).toBe(
      "--appendonly: bad value for 'appendonly': argument must be 'yes' or 'no'",
    );
  });

  it("names an unknown option and suggests the closest known one", () => {
    expect(usageErrorOf(() => validateSettings([{ name: "maxmemroy", value: "1", origin: "--maxmemroy" }]))).toBe(
      "--maxmemroy: unknown option 'maxmemroy' (did you mean 'maxmemory'?).",
    );
    expect(usageErrorOf(() => validateSettings([{ name: "no-such-option", value: "yes", origin: "node.conf:7" }]))).toBe(
      "node.conf:7: unknown option 'no-such-option'.",
    );
  });
});

describe("usage and addresses", () => {
  it("--help lists every parameter the node accepts", () => {
    const text = usageText();
    for (const parameter of [...PARAMETERS, ...RUNTIME_PARAMETERS]) expect(text).toContain(`--${parameter.name} `);
  });

  it("parses bind lists with Redis's wildcards and optional addresses", () => {
    expect(parseBind("127.0.0.1  -::1")).toEqual([
      { host: "127.0.0.1", optional: false },
      { host: "::1", optional: true },
    ]);
    expect(parseBind("* -::*")).toEqual([
      { host: "0.0.0.0", optional: false },
      { host: "::", optional: true },
    ]);
  });

  it("formats peers as Redis does, brackets around IPv6", () => {
    expect(formatAddress("127.0.0.1", 6379)).toBe("127.0.0.1:6379");
    expect(formatAddress("::1", 6379)).toBe("[::1]:6379");
    expect(formatAddress(undefined, 6379)).toBeUndefined();
  });
});
