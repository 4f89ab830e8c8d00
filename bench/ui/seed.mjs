// Seeds a hub through its API for the UI benchmark: CUSTOMERS customers, MACHINES machines
// (web-0001…) spread over them, DOMAINS manual domains (d00001.<customer>.bench.test), each on
// one or two machines, plus a few of every state the pages show. Eight requests in flight.
//   env: HUB_URL, TOKEN, DOMAINS (10000), MACHINES (1000), CUSTOMERS (200)
const hub = process.env.HUB_URL;
const token = process.env.TOKEN;
const domains = Number(process.env.DOMAINS || 10000);
const machines = Number(process.env.MACHINES || 1000);
const customers = Number(process.env.CUSTOMERS || 200);

async function post(path, body) {
  const r = await fetch(hub + path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (r.status !== 201) throw new Error(`${path} ${JSON.stringify(body)}: ${r.status} ${await r.text()}`);
}

async function inParallel(count, make, width = 8) {
  let next = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      await post(...make(i));
    }
  }
  await Promise.all(Array.from({ length: width }, worker));
}

const pad = (n, w) => String(n).padStart(w, '0');
const customer = (i) => `customer-${pad(i % customers, 3)}`;
const machine = (i) => `web-${pad(i % machines, 4)}`;

const t0 = Date.now();
await inParallel(customers, (i) => ['/api/v1/customers', { name: customer(i), contact: `ops@c${i}.test` }]);
await inParallel(machines, (i) => ['/api/v1/machines', { name: machine(i), address: `10.${i >> 8}.${i & 255}.1`, customer: customer(i) }]);
await inParallel(domains, (i) => ['/api/v1/domains', {
  name: `d${pad(i, 5)}.${customer(i)}.bench.test`,
  sans: i % 3 === 0 ? [`www.d${pad(i, 5)}.${customer(i)}.bench.test`] : [],
  customer: customer(i),
  machines: i % 10 === 0 ? [machine(i), machine(i + 1)] : [machine(i)],
  issuer: 'manual',
}]);
console.error(`seeded ${customers} customers, ${machines} machines, ${domains} domains in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
