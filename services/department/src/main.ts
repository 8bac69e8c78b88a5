import { z } from 'zod';
import { departmentCode } from '@onecheck/auth';
import { isDepartment, loadConfig, runMain, settingsFromEnv } from '@onecheck/kit';
import { startDepartment } from './index';

await runMain(async () => {
  const { DEPARTMENT } = loadConfig(
    z.object({ DEPARTMENT: departmentCode.refine(isDepartment, 'not in config/departments.json') }),
  );
  return startDepartment(DEPARTMENT, settingsFromEnv(`department-${DEPARTMENT.toLowerCase()}`));
});
