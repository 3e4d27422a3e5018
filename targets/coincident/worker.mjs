// gcstress coincident target — a worker realm: the shim's worker side, then coincident's
// window/worker, then the adapter's control port.
import { controlMessage } from './shim.mjs';
import { quietConsole } from '../node/protocol.mjs';
import { serveRealm } from '../node/adapter.mjs';
import { makeWorkerRealm } from './realm.mjs';

quietConsole();
const { port, version } = await controlMessage();
const { default: coincident } = await import(`coincident-${version}/window/worker`);
const { ops } = await makeWorkerRealm(coincident);
serveRealm(port, ops);
