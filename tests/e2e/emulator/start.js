// Starts the telegram-test-api Bot API emulator on 127.0.0.1 and a free port.
// Prints "ready <port>" on stdout once it listens; stops cleanly on SIGTERM/SIGINT.
// Usage: node start.js [port]   (port 0 or none: the OS picks a free one)
'use strict';

const TelegramServer = require('telegram-test-api');

async function main() {
  const port = Number(process.argv[2] || 0);
  // storeTimeout: keep every message for the whole test (the default drops them after 60 s).
  const server = new TelegramServer({ host: '127.0.0.1', port: port || 9000, storeTimeout: 3600 });
  // normalizeConfig turns port 0 into 9000; set it after construction so listen(0) picks a
  // free port and two test runs never race for a fixed one.
  server.config.port = port;
  await server.start();
  const actual = server.server.address().port;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`ready ${actual}\n`);
}

main().catch((error) => {
  process.stderr.write(`telegram-test-api failed to start: ${error && error.stack}\n`);
  process.exit(1);
});
