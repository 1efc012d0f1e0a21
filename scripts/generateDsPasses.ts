/** `npm run generate`: writes the generated source files (today `src/aggregation/dsPassUnrolled.ts`). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateDsPasses, unrolledFile } from './dsPassSource';

const target = path.resolve(__dirname, '..', '..', unrolledFile);
fs.writeFileSync(target, generateDsPasses());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
