/** `node out/scripts/bench/writeDownloadData.js <file>`: the download benchmark's sandbox data, written in a process of its own so that the benchmark's memory figure is the download's alone. */
import { writeSandboxData } from './download';

const file = process.argv[2];
if (!file) throw new Error('usage: writeDownloadData.js <file>');
writeSandboxData(file);
