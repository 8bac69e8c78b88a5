import { z } from 'zod';
import { departmentCode } from '@onecheck/auth';
import { isDepartment, loadConfig, settingsFromEnv } from '@onecheck/kit';

/**
 * One department instance's settings, from its environment (the only module of the service that
 * reads process.env): DEPARTMENT names the instance, the rest are every service's settings.
 */
export function settings() {
  const { DEPARTMENT } = loadConfig(
    z.object({ DEPARTMENT: departmentCode.refine(isDepartment, 'not in config/departments.json') }),
    process.env,
  );
  return { department: DEPARTMENT, service: settingsFromEnv(`department-${DEPARTMENT.toLowerCase()}`, process.env) };
}
