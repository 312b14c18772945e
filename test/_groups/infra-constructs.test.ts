import { runGroup } from './run-group';

runGroup('infra-constructs');
