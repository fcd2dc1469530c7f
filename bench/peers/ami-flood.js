// The npm asterisk-manager client on the AMI flood: connect, log in, count 'managerevent' until N,
// print one JSON line {"events":N,"seconds":s,"eventsPerSecond":r}. Usage: node ami-flood.js <port> <N>
'use strict';
const AsteriskManager = require('asterisk-manager');

const port = Number(process.argv[2]);
const expected = Number(process.argv[3]);
if (!port || !expected) {
  console.error('usage: node ami-flood.js <port> <events>');
  process.exit(2);
}

const ami = new AsteriskManager(port, '127.0.0.1', 'flood', 'flood', true);
let count = 0;
let started = 0n;
ami.on('managerevent', () => {
  if (count++ === 0) started = process.hrtime.bigint();
  if (count === expected) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(JSON.stringify({ events: count, seconds, eventsPerSecond: count / seconds }));
    process.exit(0);
  }
});
ami.on('error', (err) => {
  console.error(String(err));
  process.exit(1);
});
