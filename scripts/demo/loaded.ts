/**
 * Whether the demo county is all there: asked by `npm start` before it runs the demo loader, with
 * one small query per service database, so a later start does not pay for a process that would
 * find everything loaded. Licences are loaded last, after every department's items.
 */
import pg from 'pg';

export interface DemoTarget {
  url: string;
  schema?: string;
}

async function hasRows(target: DemoTarget, table: string): Promise<boolean> {
  const client = new pg.Client({
    connectionString: target.url,
    ...(target.schema ? { options: `-c search_path="${target.schema}"` } : {}),
  });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ found: boolean }>(`select exists (select 1 from ${table}) as found`);
    return rows[0]?.found ?? false;
  } catch {
    return false; // no such table yet
  } finally {
    await client.end().catch(() => {});
  }
}

export async function demoLoaded(databases: Map<string, DemoTarget>): Promise<boolean> {
  const checks = [...databases].flatMap(([service, target]) =>
    service === 'approval'
      ? [hasRows(target, 'licences')]
      : service.startsWith('department-')
        ? [hasRows(target, 'supervision_items')]
        : [],
  );
  return (await Promise.all(checks)).every(Boolean) && checks.length > 0;
}
