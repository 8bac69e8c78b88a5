/**
 * Re-derives a plan's 双随机 draw through the API, as an auditor would (issue 10 item 5,
 * docs/draw.md): from the frozen pool the office stored, the revealed secret and the public value,
 * it recomputes the commitment, the pool hash, the seed, every class's count and cut-off and the
 * drawn list, and compares each with what the system shows. Any stored row changed after the draw
 * makes one of them differ, and each difference is named.
 */
import {
  commitmentOf,
  drawSeed,
  drawTargets,
  poolHash,
  type PoolEntry,
} from '../../services/market/src/domain/draw-algorithm';

const QUERY = `query ($planId: ID!) {
  drawAudit(planId: $planId) {
    proof { algorithm commitment poolHash poolSize ratios { A B C D } publicValue secret seed drawnAt
      strata { riskClass poolSize drawn cutoff } drawn { uscc } }
    pool { uscc riskClass place drawn }
  }
}`;

interface Audit {
  proof: {
    algorithm: string;
    commitment: string;
    poolHash: string;
    poolSize: number;
    ratios: Record<'A' | 'B' | 'C' | 'D', number>;
    publicValue: string | null;
    secret: string | null;
    seed: string | null;
    drawnAt: string | null;
    strata: { riskClass: string; poolSize: number; drawn: number; cutoff: string | null }[] | null;
    drawn: { uscc: string }[];
  };
  pool: (PoolEntry & { place: string | null; drawn: boolean })[];
}

export interface DrawVerification {
  ok: boolean;
  /** What was checked, one line each (✓ or ✗). */
  lines: string[];
}

export async function verifyDraw(gatewayUrl: string, token: string, planId: string): Promise<DrawVerification> {
  const res = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: QUERY, variables: { planId } }),
  });
  const body = (await res.json()) as { data?: { drawAudit: Audit | null }; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`the API refused: ${body.errors.map((e) => e.message).join('; ')}`);
  const audit = body.data?.drawAudit;
  if (!audit) throw new Error(`no draw for plan ${planId}`);
  const { proof, pool } = audit;
  if (!proof.drawnAt || !proof.secret || !proof.publicValue) throw new Error(`plan ${planId} is not drawn yet`);
  const lines: string[] = [];
  let ok = true;
  const check = (what: string, good: boolean, detail = '') => {
    ok &&= good;
    lines.push(`${good ? '✓' : '✗'} ${what}${good || !detail ? '' : `: ${detail}`}`);
  };
  check(
    'the revealed secret matches the commitment published at filing',
    commitmentOf(proof.secret) === proof.commitment,
  );
  const hash = poolHash(pool);
  check(
    `the stored pool (${pool.length}) hashes to the published pool hash`,
    hash === proof.poolHash && pool.length === proof.poolSize,
    `${hash} ≠ ${proof.poolHash}`,
  );
  const seed = drawSeed(proof.secret, proof.publicValue, proof.poolHash);
  check(
    'the seed is derived from the secret, the public value and the pool hash',
    seed === proof.seed,
    `${seed} ≠ ${proof.seed}`,
  );
  const again = drawTargets(pool, proof.ratios, seed);
  for (const s of again.strata) {
    const shown = proof.strata?.find((x) => x.riskClass === s.riskClass);
    const same = !!shown && shown.poolSize === s.poolSize && shown.drawn === s.drawn && shown.cutoff === s.cutoff;
    check(
      `class ${s.riskClass}: ${s.drawn} of ${s.poolSize} at ${proof.ratios[s.riskClass]}`,
      same,
      `shown ${JSON.stringify(shown)}`,
    );
  }
  const derived = again.drawn.map((d) => d.uscc).sort();
  const shownList = proof.drawn.map((d) => d.uscc).sort();
  const missing = derived.filter((u) => !shownList.includes(u));
  const extra = shownList.filter((u) => !derived.includes(u));
  check(
    `the drawn list (${derived.length})`,
    !missing.length && !extra.length,
    `not shown: ${missing.join(', ') || '-'}; shown but not drawn: ${extra.join(', ') || '-'}`,
  );
  const places = new Map(again.drawn.map((d) => [d.uscc, d.place]));
  const wrongRows = pool.filter((p) => p.drawn !== places.has(p.uscc) || (p.drawn && p.place !== places.get(p.uscc)));
  check(
    'every stored pool row says drawn or not, with its place',
    !wrongRows.length,
    wrongRows.map((r) => r.uscc).join(', '),
  );
  return { ok, lines };
}
