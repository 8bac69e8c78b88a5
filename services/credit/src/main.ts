import { runMain } from '@onecheck/kit';
import { settings } from './env';
import { startCredit } from './index';

await runMain(() => startCredit(settings()));
