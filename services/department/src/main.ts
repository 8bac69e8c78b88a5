import { runMain } from '@onecheck/kit';
import { settings } from './env';
import { startDepartment } from './index';

await runMain(async () => {
  const { department, service } = settings();
  return startDepartment(department, service);
});
