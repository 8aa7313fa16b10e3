'use strict'
// pm.js: log in to a Soulseek server with the third-party npm client
// slsk-client 1.1.0, wait for one private message from a given peer, and
// answer it. Driven by slskclient_npm_test.go; usable by hand too:
//
//   node pm.js --host 127.0.0.1 --port 2242 --user jsuser --pass jspass \
//     --peer alice [--incoming-port 2234] [--timeout-ms 20000]
//
// Each option can also come from the environment: SLSK_HOST, SLSK_PORT,
// SLSK_USER, SLSK_PASS, SLSK_PEER, SLSK_INCOMING_PORT, SLSK_TIMEOUT_MS.
//
// stdout gets exactly these lines, in order:
//   READY          logged in (slsk-client's connect callback succeeded)
//   GOT <text>     a private message from the peer arrived
//   SENT           the reply "pong: <text>" was written, then the script
//                  half-closed the connection and the server closed it
//                  in turn (so the server has read the reply)
// then the script exits 0. Anything else (login refused, the server hanging
// up, a timeout) goes to stderr and exits non-zero.
//
// slsk-client 1.1.0 has no chat API: its README lists chat as "not
// implemented" and lib/server.js ignores server code 22. So slsk-client does
// the connection, the framing and the whole login sequence (Login 160/17,
// SetWaitPort, SharedFoldersFiles, HaveNoParent as a u32, SetStatus(2);
// spec §1.3-§1.4), and this script adds private messages on the same
// connection: it finds slsk-client's server socket through Node's public
// diagnostics channel 'net.client.socket' (no monkey-patching, node_modules
// untouched), reads the frames with slsk-client's own framer, and writes
// MessageAcked (23) and MessageUser (22) built with slsk-client's own
// Message class (spec §2, codes 22 and 23).

const diagnosticsChannel = require('diagnostics_channel')
const slsk = require('slsk-client')
const Messages = require('slsk-client/lib/messages.js')
const Message = require('slsk-client/lib/message.js')

function option (name, envName, fallback) {
  const i = process.argv.indexOf('--' + name)
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1]
  if (process.env[envName] !== undefined && process.env[envName] !== '') return process.env[envName]
  return fallback
}

function fail (why) {
  process.stderr.write(`pm.js: ${why}\n`)
  process.exit(1)
}

const host = option('host', 'SLSK_HOST', '127.0.0.1')
const port = Number(option('port', 'SLSK_PORT', ''))
const user = option('user', 'SLSK_USER', '')
const pass = option('pass', 'SLSK_PASS', '')
const peer = option('peer', 'SLSK_PEER', '')
const incomingPort = Number(option('incoming-port', 'SLSK_INCOMING_PORT', '2234'))
const timeoutMs = Number(option('timeout-ms', 'SLSK_TIMEOUT_MS', '20000'))

if (!Number.isInteger(port) || port <= 0 || port > 65535) fail('--port (or SLSK_PORT) is required: the server port')
if (!user || !pass || !peer) fail('--user, --pass and --peer (or SLSK_USER, SLSK_PASS, SLSK_PEER) are required')
if (!Number.isInteger(incomingPort) || incomingPort <= 0 || incomingPort > 65535) fail('bad --incoming-port')
if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) fail('bad --timeout-ms')

// state: connecting -> ready -> got -> ending -> sent.
let state = 'connecting'
let serverSocket = null
let capturing = false

setTimeout(() => fail(`timeout after ${timeoutMs} ms (state: ${state})`), timeoutMs).unref()
// Keep the process alive while waiting (the timer above is unref'd so it
// never delays a successful exit).
const keepAlive = setInterval(() => {}, 1 << 30)

// slsk.connect creates its server socket synchronously (index.js ->
// SlskClient.init -> new Server -> net.createConnection), so the one socket
// published while capturing is true is the server connection.
diagnosticsChannel.subscribe('net.client.socket', ({ socket }) => {
  if (!capturing || serverSocket) return
  serverSocket = socket
  watchServerSocket(socket)
})

function watchServerSocket (socket) {
  socket.on('connect', () => {
    if (socket.remotePort !== port) fail(`captured the wrong socket (remote port ${socket.remotePort}, want ${port})`)
  })
  socket.on('close', () => {
    if (state !== 'ending') fail(`the server closed the connection (state: ${state})`)
    // We sent FIN after the reply and the server closed its side in turn,
    // so it has read everything we wrote.
    state = 'sent'
    process.stdout.write('SENT\n')
    clearInterval(keepAlive)
    process.exit(0)
  })
  const frames = new Messages()
  socket.on('data', chunk => frames.write(chunk))
  frames.on('message', msg => {
    try {
      onServerMessage(msg)
    } catch (err) {
      fail(`malformed server message: ${err.message}`)
    }
  })
}

function onServerMessage (msg) {
  msg.int32() // frame length
  const code = msg.int32()
  if (code !== 22) return // everything else is slsk-client's business
  if (state === 'ending' || state === 'sent') return // our side is closed
  const id = msg.int32()
  msg.int32() // unix time
  const from = msg.str()
  const text = msg.str()
  // Acknowledge every message, as real clients do, so the server does not
  // deliver it again at the next login (spec §2 code 23).
  serverSocket.write(new Message().int32(23).int32(id).getBuff())
  if (from !== peer) {
    process.stderr.write(`pm.js: ignoring a private message from ${JSON.stringify(from)}\n`)
    return
  }
  if (state !== 'ready') return // answer only the first one
  state = 'got'
  process.stdout.write(`GOT ${text}\n`)
  const reply = new Message().int32(22).str(peer).str(`pong: ${text}`).getBuff()
  serverSocket.write(reply, err => {
    if (err) fail(`writing the reply: ${err.message}`)
  })
  // Half-close instead of exiting at once: exiting with unread input
  // would make the kernel send RST and drop a reply still in the send
  // queue. end() sends FIN after the reply while we keep reading, and the
  // server answers EOF by closing, which ends the script in 'close' above.
  state = 'ending'
  serverSocket.end()
}

capturing = true
slsk.connect({ host, port, user, pass, incomingPort, timeout: timeoutMs }, err => {
  // slsk-client may call back again later with a socket error; only the
  // first answer counts, and later failures surface through 'close'.
  if (state !== 'connecting') return
  if (err) fail(`login failed: ${err.message}`)
  state = 'ready'
  // slsk-client writes SharedFoldersFiles, HaveNoParent and SetStatus right
  // after this callback returns; announce READY after them.
  setImmediate(() => process.stdout.write('READY\n'))
})
capturing = false
if (!serverSocket) fail('slsk-client did not open a server socket synchronously (is slsk-client 1.1.0 installed?)')
