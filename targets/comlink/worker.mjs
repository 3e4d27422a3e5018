// gcstress comlink target — a worker realm: a scenario worker's VM (or a switch_vm VM).
import { workerData } from 'node:worker_threads';

import { quietConsole } from '../node/protocol.mjs';
import { serveRealm } from '../node/adapter.mjs';
import { makeRealm } from './realm.mjs';

quietConsole();
const Comlink = await import(`comlink-${workerData.version}/dist/esm/comlink.mjs`);
const { ops } = makeRealm(Comlink);
serveRealm(workerData.ctl, ops);
