/**
 * Errors of scenario files. Leaf parsers throw a FieldError (a field path
 * and what is wrong with its value); the loader turns it into a
 * ScenarioError by finding the field's line and column in the file, so
 * every message a user sees starts with file:line:col.
 */

/** Where a value sits in a parsed file: mapping keys and list indexes, from the top. */
export type Path = readonly (string | number)[];

/** Whether a message points at a field's key (unknown fields) or at its value (everything else). */
export type PathPart = "key" | "value";

/** `["timeline", 1, "target"]` reads `timeline[1].target`. */
export function formatPath(path: Path): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? segment : `.${segment}`;
  }
  return text;
}

/** A value that is not allowed where it stands; `detail` says what is allowed. */
export class FieldError extends Error {
  constructor(
    readonly path: Path,
    readonly detail: string,
    readonly part: PathPart = "value",
  ) {
    super(path.length === 0 ? detail : `${formatPath(path)}: ${detail}`);
  }
}

/**
 * A scenario file that cannot be run. The message is the whole line a user
 * reads (`scenarios/bad.yaml:7:15: timeline[1].target: ...`); the fields
 * carry its parts. line and column are 1-based, 0 when unknown (a file that
 * cannot be read); path is "" for errors about the whole file.
 */
export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${formatPlace(file, line, column)}: ${path === "" ? "" : `${path}: `}${detail}`);
    this.name = "ScenarioError";
  }
}

/** `file:line:col`, leaving out what is unknown. */
export function formatPlace(file: string, line: number, column: number): string {
  const name = file === "" ? "(scenario)" : file;
  if (line <= 0) return name;
  return column > 0 ? `${name}:${line}:${column}` : `${name}:${line}`;
}

/** A value as a message quotes it: strings in quotes, lists and mappings by their kind. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "string") return `'${value}'`;
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

/** The tail of a type error: "not a list", "not 'x'", "but it is empty". */
export function notValue(value: unknown): string {
  return value === null || value === undefined ? "but it is empty" : `not ${describeValue(value)}`;
}

/** "'5 sec': rule" for a scalar; "rule, not a list" (or "but it is empty") for anything else. */
export function badValue(value: unknown, rule: string): string {
  const scalar = typeof value === "string" || typeof value === "number" || typeof value === "boolean";
  return scalar ? `${describeValue(value)}: ${rule}` : `${rule}, ${notValue(value)}`;
}
