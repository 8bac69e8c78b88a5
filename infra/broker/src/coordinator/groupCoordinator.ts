/**
 * Consumer-group coordinator: this single node coordinates every group.
 * Classic (pre-KIP-848) protocol, JoinGroup v0–v1 semantics: no
 * MEMBER_ID_REQUIRED round trip, no static membership.
 *
 * States: Empty → PreparingRebalance → CompletingRebalance → Stable.
 * JoinGroup and SyncGroup replies are parked (kept as pending callbacks) until
 * the phase completes; only the requesting socket waits, because each
 * connection processes its requests strictly in order.
 */
import { randomUUID } from 'node:crypto';
import type { BrokerConfig } from '../config';
import { ErrorCode } from '../protocol/constants';
import type { OffsetStore } from '../storage/offsetStore';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

export interface JoinRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  protocolType: string;
  protocols: { name: string; metadata: Buffer }[];
  clientId: string;
  clientHost: string;
}

export interface JoinResult {
  error: number;
  generation: number;
  protocol: string;
  leader: string;
  memberId: string;
  /** Filled for the leader only: it computes the assignment. */
  members: { memberId: string; metadata: Buffer }[];
}

export interface SyncResult {
  error: number;
  assignment: Buffer;
}

interface Member {
  id: string;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: { name: string; metadata: Buffer }[];
  assignment: Buffer;
  pendingJoin: ((r: JoinResult) => void) | null;
  pendingSync: ((r: SyncResult) => void) | null;
  sessionTimer: NodeJS.Timeout | null;
}

interface Group {
  id: string;
  state: GroupState;
  generation: number;
  protocolType: string | null;
  protocol: string | null;
  leader: string | null;
  /** Insertion-ordered: the first joiner becomes leader when there is none. */
  members: Map<string, Member>;
  /** Hard limit of the join phase: members that have not rejoined by then are evicted. */
  joinTimer: NodeJS.Timeout | null;
  /** group.initial.rebalance.delay: lets more members of a fresh group arrive first. */
  delayTimer: NodeJS.Timeout | null;
}

const EMPTY = Buffer.alloc(0);

export interface DescribedGroup {
  groupId: string;
  state: GroupState | 'Dead';
  protocolType: string;
  protocol: string;
  members: { memberId: string; clientId: string; clientHost: string; metadata: Buffer; assignment: Buffer }[];
}

export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private stopped = false;

  constructor(
    private readonly cfg: BrokerConfig,
    private readonly offsets: OffsetStore,
  ) {}

  private log(msg: string): void {
    this.cfg.logger.info(msg);
  }

  private getOrCreate(groupId: string): Group {
    let g = this.groups.get(groupId);
    if (!g) {
      g = {
        id: groupId,
        state: 'Empty',
        generation: 0,
        protocolType: null,
        protocol: null,
        leader: null,
        members: new Map(),
        joinTimer: null,
        delayTimer: null,
      };
      this.groups.set(groupId, g);
    }
    return g;
  }

  // ---- session timers --------------------------------------------------

  /** (Re)starts a member's session timer; paused while it has a parked request. */
  private touch(group: Group, m: Member): void {
    if (m.sessionTimer) clearTimeout(m.sessionTimer);
    m.sessionTimer = null;
    if (this.stopped || m.pendingJoin || m.pendingSync) return;
    m.sessionTimer = setTimeout(() => {
      m.sessionTimer = null;
      if (group.members.get(m.id) !== m) return;
      this.log(`group ${group.id}: member ${m.id} session expired`);
      this.removeMember(group, m);
    }, m.sessionTimeoutMs);
    m.sessionTimer.unref();
  }

  // ---- JoinGroup ---------------------------------------------------------

  join(req: JoinRequest, signal: AbortSignal): JoinResult | Promise<JoinResult> {
    const fail = (error: number): JoinResult => ({
      error,
      generation: -1,
      protocol: '',
      leader: '',
      memberId: req.memberId,
      members: [],
    });
    if (this.stopped || signal.aborted) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (req.groupId === '') return fail(ErrorCode.INVALID_GROUP_ID);
    const [minSession, maxSession] = this.cfg.sessionTimeoutRangeMs;
    if (req.sessionTimeoutMs < minSession || req.sessionTimeoutMs > maxSession) {
      return fail(ErrorCode.INVALID_SESSION_TIMEOUT);
    }
    if (req.protocols.length === 0 || req.protocolType === '') return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);

    const group = this.getOrCreate(req.groupId);
    if (req.memberId !== '' && !group.members.has(req.memberId)) return fail(ErrorCode.UNKNOWN_MEMBER_ID);

    // Every member must share the protocol type and at least one protocol.
    const others = [...group.members.values()].filter((m) => m.id !== req.memberId);
    if (others.length > 0) {
      if (group.protocolType !== req.protocolType) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
      const shared = req.protocols.some((p) => others.every((m) => m.protocols.some((q) => q.name === p.name)));
      if (!shared) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    }

    let member = group.members.get(req.memberId);
    if (!member) {
      member = {
        id: `${req.clientId || 'member'}-${randomUUID()}`,
        clientId: req.clientId,
        clientHost: req.clientHost,
        sessionTimeoutMs: 0,
        rebalanceTimeoutMs: 0,
        protocols: [],
        assignment: EMPTY,
        pendingJoin: null,
        pendingSync: null,
        sessionTimer: null,
      };
      group.members.set(member.id, member);
      this.log(`group ${group.id}: member ${member.id} joined`);
    }
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    // Copy: the metadata buffers are views into the request frame.
    member.protocols = req.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) }));
    group.protocolType = req.protocolType;

    // A duplicate join from another socket replaces the older parked one.
    member.pendingJoin?.({ ...fail(ErrorCode.REBALANCE_IN_PROGRESS), memberId: member.id });

    const m = member;
    const promise = new Promise<JoinResult>((resolve) => {
      const onAbort = () => {
        // The client went away while waiting: stop treating it as "joined";
        // its session timer now runs and will evict it unless it comes back.
        if (m.pendingJoin === reply) {
          m.pendingJoin = null;
          this.touch(group, m);
        }
      };
      const reply = (r: JoinResult) => {
        signal.removeEventListener('abort', onAbort);
        resolve(r);
      };
      m.pendingJoin = reply;
      signal.addEventListener('abort', onAbort, { once: true });
    });
    this.touch(group, m); // pauses the session timer

    if (group.state !== 'PreparingRebalance') this.prepareRebalance(group);
    this.tryCompleteJoin(group);
    return promise;
  }

  private prepareRebalance(group: Group): void {
    const fromEmpty = group.state === 'Empty';
    // Parked SyncGroups belong to a generation that is now void.
    for (const m of group.members.values()) {
      m.assignment = EMPTY;
      if (m.pendingSync) {
        const reply = m.pendingSync;
        m.pendingSync = null;
        reply({ error: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
        this.touch(group, m);
      }
    }
    group.state = 'PreparingRebalance';
    this.log(`group ${group.id}: preparing rebalance (generation ${group.generation})`);

    let limit = 0;
    for (const m of group.members.values()) limit = Math.max(limit, m.rebalanceTimeoutMs);
    if (group.joinTimer) clearTimeout(group.joinTimer);
    group.joinTimer = setTimeout(() => {
      group.joinTimer = null;
      this.completeJoin(group);
    }, limit);
    group.joinTimer.unref();

    const delay = this.cfg.groupInitialRebalanceDelayMs;
    if (fromEmpty && delay > 0) {
      group.delayTimer = setTimeout(
        () => {
          group.delayTimer = null;
          this.tryCompleteJoin(group);
        },
        Math.min(delay, limit),
      );
      group.delayTimer.unref();
    }
  }

  /** The join phase ends as soon as every known member has a parked JoinGroup. */
  private tryCompleteJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance' || group.delayTimer) return;
    for (const m of group.members.values()) if (!m.pendingJoin) return;
    this.completeJoin(group);
  }

  private completeJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance') return;
    if (group.joinTimer) clearTimeout(group.joinTimer);
    if (group.delayTimer) clearTimeout(group.delayTimer);
    group.joinTimer = group.delayTimer = null;

    // Members that did not rejoin within the rebalance timeout are dropped.
    for (const m of [...group.members.values()]) {
      if (!m.pendingJoin) {
        this.log(`group ${group.id}: evicting ${m.id} (did not rejoin in time)`);
        this.dropMember(group, m);
      }
    }
    group.generation++;
    if (group.members.size === 0) {
      this.toEmpty(group);
      return;
    }

    const members = [...group.members.values()];
    group.protocol = this.selectProtocol(members);
    if (!group.leader || !group.members.has(group.leader)) group.leader = members[0]!.id;
    group.state = 'CompletingRebalance';
    this.log(
      `group ${group.id}: generation ${group.generation} with ${members.length} member(s), protocol ${group.protocol}`,
    );

    const memberList = members.map((m) => ({
      memberId: m.id,
      metadata: m.protocols.find((p) => p.name === group.protocol)?.metadata ?? EMPTY,
    }));
    for (const m of members) {
      const reply = m.pendingJoin!;
      m.pendingJoin = null;
      this.touch(group, m);
      reply({
        error: ErrorCode.NONE,
        generation: group.generation,
        protocol: group.protocol,
        leader: group.leader,
        memberId: m.id,
        members: m.id === group.leader ? memberList : [],
      });
    }
  }

  /** Each member votes for its most preferred protocol that every member supports. */
  private selectProtocol(members: Member[]): string {
    const candidates = members[0]!.protocols
      .map((p) => p.name)
      .filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
    const votes = new Map<string, number>();
    for (const m of members) {
      const choice = m.protocols.find((p) => candidates.includes(p.name))?.name;
      if (choice !== undefined) votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best = candidates[0] ?? members[0]!.protocols[0]?.name ?? '';
    for (const c of candidates) if ((votes.get(c) ?? 0) > (votes.get(best) ?? 0)) best = c;
    return best;
  }

  // ---- SyncGroup -----------------------------------------------------------

  sync(
    groupId: string,
    generation: number,
    memberId: string,
    assignments: { memberId: string; assignment: Buffer }[],
    signal: AbortSignal,
  ): SyncResult | Promise<SyncResult> {
    const fail = (error: number): SyncResult => ({ error, assignment: EMPTY });
    if (this.stopped || signal.aborted) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const group = this.groups.get(groupId);
    const m = group?.members.get(memberId);
    if (!group || !m) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (generation !== group.generation) return fail(ErrorCode.ILLEGAL_GENERATION);
    if (group.state === 'PreparingRebalance') return fail(ErrorCode.REBALANCE_IN_PROGRESS);
    if (group.state === 'Stable') {
      this.touch(group, m);
      return { error: ErrorCode.NONE, assignment: m.assignment };
    }
    if (group.state !== 'CompletingRebalance') return fail(ErrorCode.UNKNOWN_MEMBER_ID);

    m.pendingSync?.(fail(ErrorCode.REBALANCE_IN_PROGRESS));
    const promise = new Promise<SyncResult>((resolve) => {
      const onAbort = () => {
        if (m.pendingSync === reply) {
          m.pendingSync = null;
          this.touch(group, m);
        }
      };
      const reply = (r: SyncResult) => {
        signal.removeEventListener('abort', onAbort);
        resolve(r);
      };
      m.pendingSync = reply;
      signal.addEventListener('abort', onAbort, { once: true });
    });
    this.touch(group, m);

    if (memberId === group.leader) {
      const byMember = new Map(assignments.map((a) => [a.memberId, a.assignment]));
      for (const member of group.members.values()) {
        // Members the assignor left out (e.g. more consumers than partitions)
        // get empty bytes, which clients decode as "no partitions".
        const a = byMember.get(member.id);
        member.assignment = a ? Buffer.from(a) : EMPTY;
      }
      group.state = 'Stable';
      this.log(`group ${group.id}: generation ${group.generation} is stable`);
      for (const member of group.members.values()) {
        const reply = member.pendingSync;
        if (!reply) continue;
        member.pendingSync = null;
        this.touch(group, member);
        reply({ error: ErrorCode.NONE, assignment: member.assignment });
      }
    }
    return promise;
  }

  // ---- Heartbeat / LeaveGroup ------------------------------------------

  heartbeat(groupId: string, generation: number, memberId: string): number {
    if (this.stopped) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const group = this.groups.get(groupId);
    const m = group?.members.get(memberId);
    if (!group || !m) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.touch(group, m);
    if (generation !== group.generation) return ErrorCode.ILLEGAL_GENERATION;
    if (group.state !== 'Stable') return ErrorCode.REBALANCE_IN_PROGRESS;
    return ErrorCode.NONE;
  }

  leave(groupId: string, memberId: string): number {
    if (this.stopped) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const group = this.groups.get(groupId);
    const m = group?.members.get(memberId);
    if (!group || !m) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.log(`group ${group.id}: member ${m.id} left`);
    this.removeMember(group, m);
    return ErrorCode.NONE;
  }

  /** Forgets a member without touching the group state. */
  private dropMember(group: Group, m: Member): void {
    if (m.sessionTimer) clearTimeout(m.sessionTimer);
    m.sessionTimer = null;
    group.members.delete(m.id);
    const join = m.pendingJoin;
    const sync = m.pendingSync;
    m.pendingJoin = m.pendingSync = null;
    join?.({
      error: ErrorCode.UNKNOWN_MEMBER_ID,
      generation: -1,
      protocol: '',
      leader: '',
      memberId: m.id,
      members: [],
    });
    sync?.({ error: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
  }

  /** Removes a member (leave or session expiry) and rebalances the rest. */
  private removeMember(group: Group, m: Member): void {
    this.dropMember(group, m);
    if (group.members.size === 0) {
      if (group.state !== 'Empty') group.generation++;
      this.toEmpty(group);
    } else if (group.state === 'PreparingRebalance') {
      this.tryCompleteJoin(group);
    } else {
      this.prepareRebalance(group);
      this.tryCompleteJoin(group);
    }
  }

  private toEmpty(group: Group): void {
    if (group.joinTimer) clearTimeout(group.joinTimer);
    if (group.delayTimer) clearTimeout(group.delayTimer);
    group.joinTimer = group.delayTimer = null;
    group.state = 'Empty';
    group.leader = null;
    group.protocol = null;
    this.log(`group ${group.id}: now empty (generation ${group.generation})`);
  }

  // ---- Offsets -------------------------------------------------------------

  /**
   * Group-level check of an OffsetCommit. Commits are accepted in Stable and
   * also in PreparingRebalance: kafkajs commits with its old generation right
   * after seeing REBALANCE_IN_PROGRESS, and refusing that causes redelivery.
   */
  checkCommit(groupId: string, generation: number, memberId: string): number {
    if (this.stopped) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const group = this.groups.get(groupId);
    if (generation < 0 && memberId === '' && (!group || group.state === 'Empty')) return ErrorCode.NONE;
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (group.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    const m = group.members.get(memberId);
    if (!m) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generation !== group.generation) return ErrorCode.ILLEGAL_GENERATION;
    this.touch(group, m);
    return ErrorCode.NONE;
  }

  // ---- Admin views -------------------------------------------------------

  describe(groupId: string): DescribedGroup {
    const group = this.groups.get(groupId);
    if (!group) {
      return {
        groupId,
        state: this.offsets.hasGroup(groupId) ? 'Empty' : 'Dead',
        protocolType: '',
        protocol: '',
        members: [],
      };
    }
    return {
      groupId,
      state: group.state,
      protocolType: group.protocolType ?? '',
      protocol: group.protocol ?? '',
      members: [...group.members.values()].map((m) => ({
        memberId: m.id,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: m.protocols.find((p) => p.name === group.protocol)?.metadata ?? EMPTY,
        assignment: m.assignment,
      })),
    };
  }

  list(): { groupId: string; protocolType: string }[] {
    const out = new Map<string, string>();
    for (const id of this.offsets.groupIds()) out.set(id, 'consumer');
    for (const g of this.groups.values()) {
      if (g.members.size > 0 || out.has(g.id)) out.set(g.id, g.protocolType ?? 'consumer');
    }
    return [...out].map(([groupId, protocolType]) => ({ groupId, protocolType }));
  }

  /** Clears every timer and answers parked requests so nothing outlives stop(). */
  stop(): void {
    this.stopped = true;
    for (const g of this.groups.values()) {
      if (g.joinTimer) clearTimeout(g.joinTimer);
      if (g.delayTimer) clearTimeout(g.delayTimer);
      g.joinTimer = g.delayTimer = null;
      for (const m of g.members.values()) {
        if (m.sessionTimer) clearTimeout(m.sessionTimer);
        m.sessionTimer = null;
        const join = m.pendingJoin;
        const sync = m.pendingSync;
        m.pendingJoin = m.pendingSync = null;
        join?.({
          error: ErrorCode.COORDINATOR_NOT_AVAILABLE,
          generation: -1,
          protocol: '',
          leader: '',
          memberId: m.id,
          members: [],
        });
        sync?.({ error: ErrorCode.COORDINATOR_NOT_AVAILABLE, assignment: EMPTY });
      }
    }
  }
}
