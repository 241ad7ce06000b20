import { provisionLatchkey } from './servers.mjs';
import { addClients } from './many-clients.mjs';
import { writeFileSync } from 'node:fs';
const l = await provisionLatchkey();
const r = await addClients(l, Number(process.argv[2] ?? 1000000));
writeFileSync('/tmp/exp/latchkey.json', JSON.stringify({ ...l, ...r }));
console.log(l.dataDir, r.seconds);
