// Regenerates src/schema.d.ts, the API's types, from its OpenAPI document with openapi-typescript.
//
//   npm run generate                                   # from ../../docs/openapi.json
//   npm run generate -- http://127.0.0.1:9000/openapi.json   # another server
//   npm run generate -- ../../docs/openapi.json        # a file
//   npm run generate -- --check URL                    # exit 1 if src/schema.d.ts is stale
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const OUTPUT = new URL("../src/schema.d.ts", import.meta.url);
const DEFAULT_SOURCE = "../../docs/openapi.json"; // the committed contract

function sourceUrl(source) {
  return /^https?:\/\//.test(source) ? new URL(source) : pathToFileURL(resolve(source));
}

export async function generate(source) {
  const ast = await openapiTS(sourceUrl(source));
  return astToString(ast);
}

const args = process.argv.slice(2);
const check = args.includes("--check");
const source = args.find((a) => a !== "--check") ?? DEFAULT_SOURCE;
const types = await generate(source);
if (check) {
  const committed = await readFile(OUTPUT, "utf8").catch(() => "");
  if (committed !== types) {
    console.error(`src/schema.d.ts differs from ${source}: run \`npm run generate\``);
    process.exit(1);
  }
  console.log(`src/schema.d.ts matches ${source}`);
} else {
  await writeFile(OUTPUT, types);
  console.log(`wrote src/schema.d.ts from ${source}`);
}
