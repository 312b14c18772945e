import { runGroup } from './run-group';

runGroup('rest');
