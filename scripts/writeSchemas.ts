/** Writes the payload JSON Schemas, generated from the zod models, where the bundle ships them. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tbJsonSchema } from '../src/tb/schema';
import { jsonSchemaFor, payloadKindNames } from '../src/toloka/schemas';

export function writeSchemas(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files = payloadKindNames.map((kind) => {
    const file = path.join(dir, `${kind}.schema.json`);
    fs.writeFileSync(file, `${JSON.stringify(jsonSchemaFor(kind), null, 1)}\n`);
    return file;
  });
  const tb = path.join(dir, 'tb.schema.json');
  fs.writeFileSync(tb, `${JSON.stringify(tbJsonSchema(), null, 1)}\n`);
  return [...files, tb];
}
