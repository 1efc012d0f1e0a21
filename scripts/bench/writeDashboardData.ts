/** `node out/scripts/bench/writeDashboardData.js <file>`: the dashboard benchmark's sandbox data, in a process of its own. */
import { writeSandboxData } from './download';
import { dashboardShape } from './dashboardShape';

const file = process.argv[2];
if (!file) throw new Error('usage: writeDashboardData.js <file>');
writeSandboxData(file, dashboardShape());
