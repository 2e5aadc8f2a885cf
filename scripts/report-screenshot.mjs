#!/usr/bin/env node
// Screenshots a chaos run's report.html in headless Chromium, for the README
// or a ticket:
//
//   node scripts/report-screenshot.mjs <report.html> <out.png> [--width 1400] [--height 2000]
//
// It uses the same function as the report's browser test
// (packages/chaos/src/report/screenshot.ts, built into dist), so it needs
// `npm run build` first and Chromium on PATH (`npm run setup` installs it).
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BUILT = path.join(ROOT, "packages/chaos/dist/report/screenshot.js");
const USAGE = "usage: node scripts/report-screenshot.mjs <report.html> <out.png> [--width 1400] [--height 2000]";

function parseArguments(argv) {
  const positional = [];
  const options = { widthPx: 1400, heightPx: 2000 };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === "--width" || argument === "--height") {
      const value = Number(argv[++index]);
      if (!Number.isInteger(value) || value < 200 || value > 16_384) throw new Error(`${argument} takes a whole number of pixels from 200 to 16384, not ${argv[index] ?? "nothing"}`);
      options[argument === "--width" ? "widthPx" : "heightPx"] = value;
    } else if (argument.startsWith("--")) {
      throw new Error(`unknown option ${argument}`);
    } else {
      positional.push(argument);
    }
  }
  if (positional.length !== 2) throw new Error("give the report.html to open and the PNG to write");
  return { page: positional[0], png: positional[1], options };
}

async function main() {
  let parsed;
  try {
    parsed = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`report-screenshot: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (!existsSync(parsed.page)) {
    console.error(`report-screenshot: ${parsed.page} does not exist. Give the report.html a scenario run wrote (its path is in the run's summary).`);
    return 2;
  }
  if (!existsSync(BUILT)) {
    console.error(`report-screenshot: ${path.relative(ROOT, BUILT)} is missing: run npm run build (or npm run setup) first.`);
    return 1;
  }
  const { screenshotPage } = await import(pathToFileURL(BUILT).href);
  try {
    await screenshotPage(parsed.page, parsed.png, parsed.options);
  } catch (error) {
    console.error(`report-screenshot: ${error.message}`);
    return 1;
  }
  console.log(`report-screenshot: wrote ${parsed.png} (${parsed.options.widthPx}x${parsed.options.heightPx})`);
  return 0;
}

process.exitCode = await main();
