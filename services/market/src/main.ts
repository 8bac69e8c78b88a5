import { runMain } from '@onecheck/kit';
import { settings } from './env';
import { startMarket } from './index';

await runMain(() => startMarket(settings()));
