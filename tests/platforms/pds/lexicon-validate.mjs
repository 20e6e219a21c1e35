// Validates XRPC requests, responses and records against a folder of AT Protocol lexicons with
// @atproto/lexicon (Bluesky's own validator, the one the PDS runs), for smmkit's contract tests.
//
//   node lexicon-validate.mjs <lexicon folder>
//
// Reads one JSON object per line on stdin and answers one per line on stdout:
//   {"kind": "params", "nsid": "...", "value": {"name": "string" | ["strings"]}}  query strings
//   {"kind": "input",  "nsid": "...", "value": {...}, "encoding": "application/json"}
//   {"kind": "output", "nsid": "...", "value": {...}}
//   {"kind": "record", "nsid": "...", "value": {...}}           a record, $type = nsid
// → {"ok": true, "checked": "..."} or {"ok": false, "error": "..."}
// The first line printed is {"ready": true, "loaded": N, "skipped": [...]}.
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const home = path.resolve(
  process.env.SMMKIT_PDS_HOME || path.join(here, '..', '..', '..', '.pds'),
)
const require = createRequire(path.join(home, 'package.json'))
const lexicon = await import(pathToFileURL(require.resolve('@atproto/lexicon')).href)
const { Lexicons, jsonToLex } = lexicon

const folder = process.argv[2]
if (!folder || !fs.existsSync(folder)) {
  process.stderr.write(`lexicon-validate: no lexicon folder at ${folder}\n`)
  process.exit(2)
}

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) yield* walk(full)
    else if (entry.name.endsWith('.json')) yield full
  }
}

const lex = new Lexicons()
let loaded = 0
const skipped = []
for (const file of walk(folder)) {
  try {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'))
    if (doc.lexicon !== 1 || typeof doc.id !== 'string') continue
    lex.add(doc)
    loaded += 1
  } catch (err) {
    skipped.push(`${path.relative(folder, file)}: ${err.message}`)
  }
}

// Query strings arrive as text; type them from the method's parameter schema (as xrpc-server
// does) before validating.
function typedParams(nsid, value) {
  const def = lex.getDefOrThrow(nsid)
  const props = def.parameters?.properties ?? {}
  const out = {}
  for (const [name, raw] of Object.entries(value)) {
    const schema = props[name]
    const convert = (v) => {
      const type = schema?.type === 'array' ? schema.items?.type : schema?.type
      if (type === 'integer') return Number.isInteger(Number(v)) ? Number(v) : v
      if (type === 'boolean') return v === 'true' ? true : v === 'false' ? false : v
      return v
    }
    if (schema?.type === 'array') out[name] = (Array.isArray(raw) ? raw : [raw]).map(convert)
    else out[name] = convert(Array.isArray(raw) ? raw[raw.length - 1] : raw)
  }
  return out
}

function check(message) {
  const { kind, nsid, value } = message
  switch (kind) {
    case 'params':
      lex.assertValidXrpcParams(nsid, typedParams(nsid, value ?? {}))
      return `params of ${nsid}`
    case 'input': {
      const def = lex.getDefOrThrow(nsid)
      const encoding = def.input?.encoding
      if (!encoding) throw new Error(`${nsid} takes no input`)
      if (encoding === 'application/json') {
        if (message.encoding && !message.encoding.startsWith('application/json')) {
          throw new Error(`${nsid} takes application/json, got ${message.encoding}`)
        }
        lex.assertValidXrpcInput(nsid, jsonToLex(value))
      } else if (encoding !== '*/*' && message.encoding && !message.encoding.startsWith(encoding)) {
        throw new Error(`${nsid} takes ${encoding}, got ${message.encoding}`)
      }
      return `input of ${nsid} (${encoding})`
    }
    case 'output':
      lex.assertValidXrpcOutput(nsid, jsonToLex(value))
      return `output of ${nsid}`
    case 'record':
      lex.assertValidRecord(nsid, jsonToLex(value))
      return `record ${nsid}`
    default:
      throw new Error(`unknown kind ${kind}`)
  }
}

process.stdout.write(JSON.stringify({ ready: true, loaded, skipped }) + '\n')
const lines = readline.createInterface({ input: process.stdin })
lines.on('line', (line) => {
  if (!line.trim()) return
  let answer
  try {
    answer = { ok: true, checked: check(JSON.parse(line)) }
  } catch (err) {
    answer = { ok: false, error: String(err && err.message ? err.message : err) }
  }
  process.stdout.write(JSON.stringify(answer) + '\n')
})
