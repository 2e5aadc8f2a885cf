import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode, type Pair } from "yaml";
import type { Path, PathPart } from "./errors.js";

/** A line and column, 1-based. */
export interface Place {
  line: number;
  column: number;
}

/** A YAML (or JSON) file, parsed, that can say where any of its values is written. */
export interface YamlSource {
  /** The file as plain data (undefined when it has a syntax error). */
  data: unknown;
  /** The first syntax error, with yaml's own place for it. */
  syntaxError: { message: string; place: Place | undefined } | undefined;
  /**
   * Where the value (or the key) at `path` is written. A path the file does
   * not spell out (a field left to its default) points at the deepest part
   * of it that is written, so a message still lands near its cause.
   */
  locate(path: Path, part: PathPart): Place;
}

/**
 * Parses text with yaml's parseDocument, keeping its node ranges and a
 * LineCounter, so places come from the parser and never from searching
 * the text for a field's name. Aliases are expanded at most 100 times
 * (yaml's bound), so a hostile file cannot grow without bound.
 */
export function parseYamlSource(text: string): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const first = document.errors[0];
  if (first !== undefined) {
    const position = first.linePos?.[0];
    const place = position === undefined ? undefined : { line: position.line, column: position.col };
    return { data: undefined, syntaxError: { message: yamlMessage(first.message), place }, locate: () => ({ line: 1, column: 1 }) };
  }
  return {
    data: document.toJS({ maxAliasCount: 100 }),
    syntaxError: undefined,
    locate: (path, part) => {
      const offset = offsetOf(document, path, part);
      const position = lineCounter.linePos(offset);
      return { line: position.line, column: position.col };
    },
  };
}

/** The text offset of the key or value at `path`, or of its deepest written ancestor. */
function offsetOf(document: Document, path: Path, part: PathPart): number {
  let node: YamlNode | null | undefined = resolve(document, document.contents);
  let offset = node?.range?.[0] ?? 0;
  for (let index = 0; index < path.length && node; index++) {
    const last = index === path.length - 1;
    const segment = path[index]!;
    if (isMap(node)) {
      const pair: Pair | undefined = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) break;
      const key = pair.key as YamlNode;
      const value = resolve(document, pair.value as YamlNode | null);
      const keyOffset = key.range?.[0] ?? offset;
      // A key written with no value (`target:`) has no value node of its own: point at the key.
      const valueOffset = value?.range?.[0] ?? keyOffset;
      offset = last && part === "key" ? keyOffset : valueOffset;
      node = value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = resolve(document, node.items[segment] as YamlNode | null | undefined);
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

function resolve(document: Document, node: YamlNode | null | undefined): YamlNode | null | undefined {
  return isAlias(node) ? (node.resolve(document) as YamlNode | undefined) : node;
}

/** yaml's first line of a message, without the "at line 1, column 7:" a file:line:col prefix already says. */
function yamlMessage(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}
