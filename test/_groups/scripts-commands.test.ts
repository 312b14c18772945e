import { runGroup } from './run-group';

runGroup('scripts-commands');
