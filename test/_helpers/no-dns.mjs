// Preloaded into the compiled CLI by the network tests (node --import): every host name fails to
// resolve with ENOTFOUND, as on a machine without DNS, and no question ever leaves this machine.
import dns from 'node:dns';

dns.lookup = function lookup(hostname, options, callback) {
  const done = typeof options === 'function' ? options : callback;
  const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname, syscall: 'getaddrinfo' });
  process.nextTick(() => done(error));
};
