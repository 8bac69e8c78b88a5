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
  placeOf,
  poolHash,
  type PoolEntry,
} from '../../services/market/src/domain/draw-algorithm';
import { drawHmac } from '@onecheck/kit';
import { shortfallOf } from '../../services/department/src/domain/inspector-draw';

const QUERY = `query ($planId: ID!) {
  jointPlan(id: $planId) { leadDepartment { code } cooperatingDepartments { code } }
  drawAudit(planId: $planId) {
    proof { drawId algorithm commitment poolHash poolSize ratios { A B C D } publicValue secret seed drawnAt
      strata { riskClass poolSize drawn cutoff } drawn { uscc } }
    pool { uscc riskClass place drawn }
  }
}`;

interface Audit {
  proof: {
    drawId: string;
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
  /** Nothing checked differs. */
  ok: boolean;
  /** What this token could not check (the inspector draws whose certificate numbers it sees masked). */
  unchecked: string[];
  /** What was checked, one line each (✓ or ✗, and ? for what could not be). */
  lines: string[];
}

const FIND = `query ($planId: ID, $drawId: ID) { drawAudit(planId: $planId, drawId: $drawId) { proof { planId } } }`;

/** The plan of a draw given by its own id or by its plan's (the two are UUIDs that never collide). */
export async function planOfDraw(gatewayUrl: string, token: string, id: string): Promise<string> {
  type Found = { drawAudit: { proof: { planId: string } } | null };
  const byDraw = await ask<Found>(gatewayUrl, token, FIND, { drawId: id });
  const found = byDraw.drawAudit ?? (await ask<Found>(gatewayUrl, token, FIND, { planId: id })).drawAudit;
  if (!found) throw new Error(`no draw ${id} (neither a draw id nor a plan id with a draw)`);
  return found.proof.planId;
}

export async function verifyDraw(gatewayUrl: string, token: string, planId: string): Promise<DrawVerification> {
  const data = await ask<{
    drawAudit: Audit | null;
    jointPlan: { leadDepartment: { code: string }; cooperatingDepartments: { code: string }[] } | null;
  }>(gatewayUrl, token, QUERY, { planId });
  const audit = data.drawAudit;
  const plan = data.jointPlan;
  if (!audit) throw new Error(`no draw for plan ${planId}`);
  const { proof, pool } = audit;
  if (!proof.drawnAt || !proof.secret || !proof.publicValue) throw new Error(`plan ${planId} is not drawn yet`);
  const lines: string[] = [];
  const unchecked: string[] = [];
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
  const departments = plan ? [plan.leadDepartment.code, ...plan.cooperatingDepartments.map((d) => d.code)] : [];
  for (const department of departments) {
    const proofOf = await ask<{ inspectorDrawProof: InspectorProof | null }>(gatewayUrl, token, INSPECTORS, {
      department,
      drawId: proof.drawId,
    });
    const teams = proofOf.inspectorDrawProof;
    if (!teams) {
      check(`${department}: its inspector draw`, false, 'the department has not drawn (or did not receive the draw)');
      continue;
    }
    // Certificate numbers are masked outside the department and the 纪检 role (docs/security.md §3):
    // the inspectors' HMACs cannot be re-derived with this token, which says so rather than accuse the draw.
    const masked = teams.businesses.some((b) =>
      [...b.eligible, ...b.expertEligible].some((c) => c.certificateNumber.includes('*')),
    );
    if (masked) {
      unchecked.push(department);
      lines.push(
        `? ${department}: its inspector draw cannot be checked with this token: certificate numbers are masked for its role (the 纪检 auditor's or the department's token sees them)`,
      );
      continue;
    }
    for (const problem of inspectorProblems(seed, teams))
      check(`${department}: ${problem.what}`, problem.ok, problem.detail);
  }
  return { ok, unchecked, lines };
}

const INSPECTORS = `query ($department: String!, $drawId: ID!) {
  inspectorDrawProof(department: $department, drawId: $drawId) {
    seed businesses { uscc position businessHmac team shortfall keyItems experts
      activeInspectors validCertificates qualified notConflicted
      eligible { inspectorId certificateNumber hmac assignedBefore chosen }
      expertEligible { inspectorId certificateNumber hmac assignedBefore chosen } }
  }
}`;

interface Candidate {
  inspectorId: string;
  certificateNumber: string;
  hmac: string;
  assignedBefore: number;
  chosen: boolean;
}

interface InspectorProof {
  seed: string;
  businesses: {
    uscc: string;
    position: number;
    businessHmac: string;
    team: string[];
    shortfall: string | null;
    activeInspectors: number;
    validCertificates: number;
    qualified: number;
    notConflicted: number;
    keyItems: string[];
    experts: string[];
    eligible: Candidate[];
    expertEligible: Candidate[];
  }[];
}

async function ask<T>(
  gatewayUrl: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  const res = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`the API refused: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data!;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A department's inspector draw against its rule (docs/draw.md, "Inspectors"): businesses in
 * HMAC(seed, uscc) order; in each, the eligible officers by (businesses already given to them in
 * this draw, HMAC(seed, uscc|certificate)); the first two drawn unless a shortfall is named, and beside
 * them the first eligible expert when the business has a 重点 item (over the experts' own load).
 */
function inspectorProblems(seed: string, p: InspectorProof) {
  const out: { what: string; ok: boolean; detail: string }[] = [];
  out.push({ what: 'the same seed as the target draw', ok: p.seed === seed, detail: p.seed });
  const ordered = [...p.businesses].sort(
    (a, b) => cmp(placeOf(seed, a.uscc), placeOf(seed, b.uscc)) || cmp(a.uscc, b.uscc),
  );
  const load = new Map<string, number>();
  const expertLoad = new Map<string, number>();
  const wrong: string[] = [];
  /** The candidates' HMACs and loads checked, and their order by the rule: load, then HMAC. */
  const rank = (uscc: string, candidates: Candidate[], loads: Map<string, number>) => {
    const withLoad = candidates.map((c) => ({ ...c, expected: loads.get(c.inspectorId) ?? 0 }));
    const sound = withLoad.every(
      (c) => c.hmac === drawHmac(seed, `${uscc}|${c.certificateNumber}`) && c.assignedBefore === c.expected,
    );
    const order = [...withLoad]
      .sort((x, y) => x.expected - y.expected || cmp(x.hmac, y.hmac))
      .map((c) => c.inspectorId);
    return { sound, order, listedInOrder: candidates.map((c) => c.inspectorId).join() === order.join() };
  };
  ordered.forEach((b, position) => {
    if (b.position !== position || b.businessHmac !== placeOf(seed, b.uscc)) wrong.push(`${b.uscc} (place)`);
    const officers = rank(b.uscc, b.eligible, load);
    if (!officers.sound) wrong.push(`${b.uscc} (an inspector's HMAC or load)`);
    // The funnel narrows filter by filter, its last count is the eligible list, and the shortfall is
    // the one those counts give (a claimed shortfall with two eligible would drop a team unseen).
    const funnel = [b.activeInspectors, b.validCertificates, b.qualified, b.notConflicted];
    if (funnel.some((n, i) => i > 0 && n > funnel[i - 1]!) || b.notConflicted !== b.eligible.length)
      wrong.push(`${b.uscc} (filter counts)`);
    const shortfall = shortfallOf({ ...b, notConflicted: b.eligible.length });
    if ((b.shortfall ?? null) !== shortfall) wrong.push(`${b.uscc} (shortfall)`);
    const team = shortfall ? [] : officers.order.slice(0, 2);
    if (team.join() !== b.team.join() || !officers.listedInOrder) wrong.push(`${b.uscc} (team)`);
    for (const id of b.team) load.set(id, (load.get(id) ?? 0) + 1);
    // Step 5: an expert beside a team with a 重点 item, by the same rule over the experts' own load.
    const experts = rank(b.uscc, b.expertEligible, expertLoad);
    const expected = b.team.length && b.keyItems.length ? experts.order.slice(0, 1) : [];
    if (!experts.sound || !experts.listedInOrder || expected.join() !== b.experts.join())
      wrong.push(`${b.uscc} (expert)`);
    for (const id of b.experts) expertLoad.set(id, (expertLoad.get(id) ?? 0) + 1);
  });
  out.push({
    what: `${p.businesses.length} teams re-derived (two officers each, or a named shortfall)`,
    ok: !wrong.length,
    detail: wrong.join(', '),
  });
  return out;
}
