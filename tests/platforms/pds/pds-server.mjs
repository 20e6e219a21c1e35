// Starts a did:plc directory and a real Bluesky PDS, both bound to 127.0.0.1 only, for smmkit's
// integration tests. Prints one JSON line starting with "SMMKIT-PDS-READY " when both serve, then
// runs until it gets SIGTERM/SIGINT or its standard input closes (so a dying test run cannot leave
// it behind).
//
// Environment:
//   SMMKIT_PDS_HOME          folder holding node_modules with @atproto/pds (default: <repo>/.pds)
//   SMMKIT_PDS_DATA          data folder (default: a fresh temporary folder, removed at exit)
//   SMMKIT_PDS_RATE_LIMITS   "1" turns the PDS's rate limits on (default "1"), "0" off
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

const LOOPBACK = '127.0.0.1'
const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, '..', '..', '..')
const home = path.resolve(process.env.SMMKIT_PDS_HOME || path.join(repoRoot, '.pds'))

// --- loopback only -------------------------------------------------------------------------
// Both servers call listen(port) with no host, which means "every interface". Every net.Server
// (http.Server included) goes through this prototype method, so force the host here; a listen
// on a path (Unix socket) or an inherited handle is refused outright.
const originalListen = net.Server.prototype.listen
const listening = []
net.Server.prototype.listen = function listenOnLoopback(...args) {
  let callback
  if (typeof args[args.length - 1] === 'function') callback = args.pop()
  let options
  const first = args[0]
  if (first !== null && typeof first === 'object') {
    if (first.path !== undefined || first.fd !== undefined || first._handle || first.handle) {
      throw new Error('pds-server: only TCP listening on 127.0.0.1 is allowed')
    }
    options = { ...first, host: LOOPBACK }
  } else if (typeof first === 'string' && !/^\d+$/.test(first)) {
    throw new Error(`pds-server: listening on a path (${first}) is not allowed`)
  } else {
    options = { port: first === undefined ? 0 : Number(first), host: LOOPBACK }
    if (typeof args[2] === 'number') options.backlog = args[2]
    else if (typeof args[1] === 'number') options.backlog = args[1]
  }
  listening.push(this)
  return callback
    ? originalListen.call(this, options, callback)
    : originalListen.call(this, options)
}

function assertLoopback(server, name) {
  const address = server.address()
  if (!address || typeof address !== 'object' || address.address !== LOOPBACK) {
    throw new Error(`pds-server: ${name} listens on ${JSON.stringify(address)}, not ${LOOPBACK}`)
  }
  return address.port
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

async function load(name) {
  const require = createRequire(path.join(home, 'package.json'))
  let resolved
  try {
    resolved = require.resolve(name)
  } catch (err) {
    throw new Error(`pds-server: ${name} is not installed under ${home} (run .ci/install-pds)`)
  }
  return import(pathToFileURL(resolved).href)
}

async function main() {
  const major = Number(process.versions.node.split('.')[0])
  if (major < 22) throw new Error(`pds-server: Node >= 22 needed, this is ${process.version}`)

  const { PDS, envToCfg, envToSecrets } = await load('@atproto/pds')
  const plcModule = await load('@did-plc/server')
  const PlcServer = plcModule.PlcServer ?? plcModule.default.PlcServer
  const PlcDatabase = plcModule.Database ?? plcModule.default.Database

  const ownsData = !process.env.SMMKIT_PDS_DATA
  const dataDir = ownsData
    ? fs.mkdtempSync(path.join(os.tmpdir(), 'smmkit-pds-'))
    : path.resolve(process.env.SMMKIT_PDS_DATA)
  fs.mkdirSync(path.join(dataDir, 'blobs'), { recursive: true })

  const plc = PlcServer.create({ db: PlcDatabase.mock(), port: await freePort() })
  const plcServer = await plc.start()
  const plcPort = assertLoopback(plcServer, 'did:plc server')

  const pdsPort = await freePort()
  const env = {
    port: pdsPort,
    hostname: 'localhost',
    devMode: true,
    version: '0.0.0-smmkit-test',
    dataDirectory: dataDir,
    blobstoreDiskLocation: path.join(dataDir, 'blobs'),
    blobUploadLimit: 5 * 1024 * 1024,
    didPlcUrl: `http://${LOOPBACK}:${plcPort}`,
    inviteRequired: false,
    serviceHandleDomains: ['.test'],
    jwtSecret: crypto.randomBytes(16).toString('hex'),
    adminPassword: crypto.randomBytes(16).toString('hex'),
    plcRotationKeyK256PrivateKeyHex: crypto.randomBytes(32).toString('hex'),
    dpopSecret: crypto.randomBytes(32).toString('hex'),
    crawlers: [],
    rateLimitsEnabled: (process.env.SMMKIT_PDS_RATE_LIMITS ?? '1') !== '0',
    // No AppView: app.bsky.* reads answer 400, as documented in docs/bluesky.md.
    bskyAppViewUrl: undefined,
    bskyAppViewDid: undefined,
    modServiceUrl: undefined,
    reportServiceUrl: undefined,
  }
  const pds = await PDS.create(envToCfg(env), envToSecrets(env))
  const pdsServer = await pds.start()
  const port = assertLoopback(pdsServer, 'PDS')
  for (const server of listening) {
    if (server.listening) assertLoopback(server, 'a server')
  }

  let stopping = false
  const stop = async (why) => {
    if (stopping) return
    stopping = true
    process.stderr.write(`pds-server: stopping (${why})\n`)
    try {
      await pds.destroy()
      await plc.destroy()
    } finally {
      if (ownsData) fs.rmSync(dataDir, { recursive: true, force: true })
      process.exit(0)
    }
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  process.stdin.on('end', () => stop('stdin closed'))
  process.stdin.on('error', () => stop('stdin error'))
  process.stdin.resume()

  const ready = {
    pds: `http://${LOOPBACK}:${port}`,
    plc: `http://${LOOPBACK}:${plcPort}`,
    host: LOOPBACK,
    port,
    plcPort,
    node: process.version,
    rateLimits: env.rateLimitsEnabled,
    adminPassword: env.adminPassword,
    dataDir,
  }
  process.stdout.write(`SMMKIT-PDS-READY ${JSON.stringify(ready)}\n`)
}

main().catch((err) => {
  process.stderr.write(`pds-server: failed to start: ${err && err.stack ? err.stack : err}\n`)
  process.exit(1)
})
