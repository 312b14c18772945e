// The whole suite (`npm test`, `npx jest`) runs its files in groups that share modules; a command line that names
// files (`npx jest test/infra/config.test.ts`) runs each of them on its own. test/_groups/groups.cjs says why.
module.exports = require('./test/_groups/jest-config.cjs').jestConfig(process.argv.slice(2));
