'use strict';
// node-express: Express (current major) in production mode, no ETag, no
// X-Powered-By. WORKERS > 1 forks that many workers with the cluster module,
// which share one listening socket; WORKERS=1 serves in this process.
// /io awaits a timer, as an async database or HTTP client would; /cpu runs on
// the event loop. The database paths use a node-postgres (pg) Pool per process
// and render /fortunes with Pug through res.render. See servers/CONTRACT.md.

process.env.NODE_ENV = process.env.NODE_ENV || 'production';

const cluster = require('node:cluster');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const express = require('express');
const pg = require('pg');

const ID = 'node-express';
const MAX_IO_MS = 10000;
const MAX_CPU_N = 10000000;
const IO_ERROR = 'ms must be an integer from 0 to 10000: use /io?ms=N';
const CPU_ERROR = 'n must be an integer from 1 to 10000000: use /cpu?n=N';
const MAX_QUERIES = 500;
const QUERIES_ERROR = 'n must be an integer from 1 to 500: use /queries?n=N';
const WORLD_ROWS = 10000;
// Added to the fortunes at request time, as TechEmpower's fortunes test asks.
const EXTRA_FORTUNE = 'Additional fortune added at request time.';
const NO_DATABASE = 'no database: this server was started without DATABASE_URL; '
  + 'start it with DATABASE_URL=postgres://user@host:port/dbname to use /db, /queries and /fortunes';
const SELECT_WORLD = 'SELECT id, randomnumber FROM world WHERE id = $1';
const SELECT_FORTUNES = 'SELECT id, message FROM fortune';
// node-postgres' documented default pool size (new Pool(): max = 10).
const POOL_SIZE = 10;
// Bounds a graceful stop so that SIGTERM ends everything within the
// contract's 5 s even while /io requests are waiting.
const SHUTDOWN_GRACE_MS = 2000;

function fail(message) {
  process.stderr.write(`${ID}: ${message}\n`);
  process.exit(2);
}

function readConfig() {
  const host = process.env.HOST || '127.0.0.1';
  const port = process.env.PORT || '';
  if (port === '') fail(`PORT is not set: run it as PORT=8080 node ${__filename} (HOST defaults to 127.0.0.1, WORKERS to 1)`);
  if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    fail(`PORT='${port}' is not a port number: use an integer from 1 to 65535`);
  }
  const workers = process.env.WORKERS || '1';
  if (!/^[0-9]{1,4}$/.test(workers) || Number(workers) < 1 || Number(workers) > 1024) {
    fail(`WORKERS='${workers}' is not a worker count: use an integer from 1 to 1024`);
  }
  return { host, port: Number(port), workers: Number(workers) };
}

// ASCII digits only (no sign, no spaces, no empty value), so that every
// language agrees on what is valid; the first value counts when repeated.
function parseBounded(raw, low, high) {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string' || !/^[0-9]{1,18}$/.test(value)) return null;
  const n = Number(value);
  return n >= low && n <= high ? n : null;
}

function isPrime(k) {
  if (k < 4) return k >= 2;
  if (k % 2 === 0) return false;
  for (let d = 3; d * d <= k; d += 2) {
    if (k % d === 0) return false;
  }
  return true;
}

// Primes below n by trial division by 2 and the odd numbers up to the square
// root: the same algorithm in every language.
function countPrimes(n) {
  let count = 0;
  for (let k = 2; k < n; k++) {
    if (isPrime(k)) count++;
  }
  return count;
}

// The process's pool; pg connects lazily, so a database that is down makes
// the database paths answer 503 instead of stopping the server.
function openDatabase() {
  if (!process.env.DATABASE_URL) return null;
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: POOL_SIZE });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', (error) => process.stderr.write(`${ID}: database: ${error.message}\n`));
  return pool;
}

function randomId() {
  return Math.floor(Math.random() * WORLD_ROWS) + 1;
}

function world(row) {
  return { id: row.id, randomNumber: row.randomnumber };
}

function createApp() {
  const app = express();
  app.set('etag', false);
  app.set('x-powered-by', false);
  app.set('views', path.join(__dirname, 'views'));
  app.set('view engine', 'pug');
  const pool = openDatabase();

  // Answers from the database: 503 without one, or when it fails.
  const fromDatabase = async (res, work) => {
    if (pool === null) {
      res.status(503).json({ error: NO_DATABASE });
      return;
    }
    try {
      await work();
    } catch (error) {
      res.status(503).json({ error: `database error: ${error.message}` });
    }
  };

  app.get('/healthz', (req, res) => {
    res.type('text/plain').send('ok');
  });
  app.get('/json', (req, res) => {
    res.json({ message: 'Hello, World!' });
  });
  app.get('/plaintext', (req, res) => {
    res.type('text/plain').send('Hello, World!');
  });
  app.get('/io', async (req, res) => {
    const ms = parseBounded(req.query.ms, 0, MAX_IO_MS);
    if (ms === null) {
      res.status(400).json({ error: IO_ERROR });
      return;
    }
    await sleep(ms);
    res.json({ waited_ms: ms });
  });
  app.get('/cpu', (req, res) => {
    const n = parseBounded(req.query.n, 1, MAX_CPU_N);
    if (n === null) {
      res.status(400).json({ error: CPU_ERROR });
      return;
    }
    res.json({ n, primes: countPrimes(n) });
  });
  app.get('/db', (req, res) => fromDatabase(res, async () => {
    const result = await pool.query(SELECT_WORLD, [randomId()]);
    res.json(world(result.rows[0]));
  }));
  app.get('/queries', (req, res) => {
    const n = parseBounded(req.query.n, 1, MAX_QUERIES);
    if (n === null) {
      res.status(400).json({ error: QUERIES_ERROR });
      return;
    }
    fromDatabase(res, async () => {
      const client = await pool.connect();
      const worlds = [];
      try {
        // One query after another on one connection, as in every server.
        for (let i = 0; i < n; i++) {
          const result = await client.query(SELECT_WORLD, [randomId()]);
          worlds.push(world(result.rows[0]));
        }
      } finally {
        client.release();
      }
      res.json(worlds);
    });
  });
  app.get('/fortunes', (req, res) => fromDatabase(res, async () => {
    const result = await pool.query(SELECT_FORTUNES);
    const fortunes = result.rows.map((row) => ({ id: row.id, message: row.message }));
    fortunes.push({ id: 0, message: EXTRA_FORTUNE });
    fortunes.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
    res.render('fortunes', { fortunes });
  }));
  app.get('/info', (req, res) => {
    const workers = Number(process.env.WORKERS || '1');
    res.json({
      id: ID,
      workers,
      database: {
        configured: pool !== null,
        driver: 'pg',
        driverVersion: require('pg/package.json').version,
        pool: 'pg.Pool',
        poolSize: POOL_SIZE,
        pools: workers,
        poolSizeSource: 'node-postgres default: new Pool() max = 10',
      },
    });
  });
  return app;
}

function serve(config, onListening) {
  const server = createApp().listen(config.port, config.host, onListening);
  server.on('error', (error) => {
    process.stderr.write(`${ID}: cannot listen on ${config.host}:${config.port}: ${error.message}\n`);
    process.exit(1);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return server;
}

function announce(config) {
  const where = config.host.includes(':') ? `[${config.host}]` : config.host;
  process.stdout.write(`${ID} listening on http://${where}:${config.port} (workers=${config.workers})\n`);
}

function runPrimary(config) {
  let listening = 0;
  let stopping = false;
  for (let i = 0; i < config.workers; i++) cluster.fork();

  cluster.on('listening', () => {
    listening += 1;
    if (listening === config.workers) announce(config);
  });
  const stopAll = (code) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGTERM');
    // Workers bound their own grace; this is the backstop.
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGKILL');
      process.exit(code);
    }, SHUTDOWN_GRACE_MS + 1000).unref();
  };
  cluster.on('exit', (worker, code, signal) => {
    if (!stopping) {
      // A dead worker is a broken server: fail loudly rather than respawn
      // (e.g. a taken port would otherwise loop).
      process.stderr.write(`${ID}: worker ${worker.process.pid} exited (${signal || code}); stopping\n`);
      process.exitCode = 1;
      stopAll(1);
    }
    if (Object.keys(cluster.workers).length === 0) process.exit(process.exitCode || 0);
  });
  process.on('SIGTERM', () => stopAll(0));
  process.on('SIGINT', () => stopAll(0));
}

const config = readConfig();
if (config.workers > 1 && cluster.isPrimary) {
  runPrimary(config);
} else if (cluster.isWorker) {
  serve(config);
  // The primary is gone (even by SIGKILL): do not linger as an orphan.
  cluster.worker.on('disconnect', () => process.exit(0));
} else {
  serve(config, () => announce(config));
}
