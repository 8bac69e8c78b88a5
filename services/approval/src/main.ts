import { runMain } from '@onecheck/kit';
import { settings } from './env';
import { startApproval } from './index';

await runMain(() => startApproval(settings()));
