/**
 * Group APIs: FindCoordinator (10) v0, JoinGroup (11) v0–v1, Heartbeat (12) v0,
 * LeaveGroup (13) v0, SyncGroup (14) v0, DescribeGroups (15) v0,
 * ListGroups (16) v0, OffsetCommit (8) v2, OffsetFetch (9) v1.
 * Decoding/encoding and ACL checks (GROUP_AUTHORIZATION_FAILED for a group the principal
 * may not use; TOPIC_AUTHORIZATION_FAILED for offsets of a topic it does not read); the state
 * machine lives in the coordinator.
 */
import { Writer } from '../protocol/codec';
import { ErrorCode, NODE_ID } from '../protocol/constants';
import type { JoinResult, SyncResult } from '../coordinator/groupCoordinator';
import type { BrokerContext, Handler, RequestContext } from './types';

const mayUse = (ctx: BrokerContext, req: RequestContext, groupId: string) =>
  ctx.cfg.authorizer.group(req.principal, groupId);
const GROUP_DENIED = ErrorCode.GROUP_AUTHORIZATION_FAILED;

export const findCoordinator: Handler = (ctx, req, r) => {
  const groupId = r.string(); // this node coordinates every group
  return new Writer()
    .int16(mayUse(ctx, req, groupId) ? ErrorCode.NONE : GROUP_DENIED)
    .int32(NODE_ID)
    .string(ctx.advertisedHost)
    .int32(ctx.advertisedPort)
    .toBuffer();
};

function encodeJoin(res: JoinResult): Buffer {
  const w = new Writer()
    .int16(res.error)
    .int32(res.generation)
    .string(res.protocol)
    .string(res.leader)
    .string(res.memberId);
  w.array(res.members, (w2, m) => w2.string(m.memberId).bytes(m.metadata));
  return w.toBuffer();
}

/** JoinGroup v0 has no rebalance timeout; Kafka then uses the session timeout. */
export const joinGroup: Handler = async (ctx, req, r) => {
  const groupId = r.string();
  const sessionTimeoutMs = r.int32();
  const rebalanceTimeoutMs = req.apiVersion >= 1 ? r.int32() : sessionTimeoutMs;
  const memberId = r.string();
  const protocolType = r.string();
  const protocols = r.array((x) => ({ name: x.string(), metadata: x.bytes() }));
  if (!mayUse(ctx, req, groupId)) {
    return encodeJoin({ error: GROUP_DENIED, generation: -1, protocol: '', leader: '', memberId: '', members: [] });
  }
  const res = await ctx.groups.join(
    {
      groupId,
      sessionTimeoutMs,
      rebalanceTimeoutMs,
      memberId,
      protocolType,
      protocols,
      clientId: req.clientId,
      clientHost: req.clientHost,
    },
    req.signal,
  );
  return encodeJoin(res);
};

function encodeSync(res: SyncResult): Buffer {
  // The assignment must be non-null bytes even on error (kafkajs decodes it).
  return new Writer().int16(res.error).bytes(res.assignment).toBuffer();
}

export const syncGroup: Handler = async (ctx, req, r) => {
  const groupId = r.string();
  const generation = r.int32();
  const memberId = r.string();
  const assignments = r.array((x) => ({ memberId: x.string(), assignment: x.bytes() }));
  if (!mayUse(ctx, req, groupId)) return encodeSync({ error: GROUP_DENIED, assignment: Buffer.alloc(0) });
  return encodeSync(await ctx.groups.sync(groupId, generation, memberId, assignments, req.signal));
};

export const heartbeat: Handler = (ctx, req, r) => {
  const groupId = r.string();
  const generation = r.int32();
  const memberId = r.string();
  if (!mayUse(ctx, req, groupId)) return new Writer().int16(GROUP_DENIED).toBuffer();
  return new Writer().int16(ctx.groups.heartbeat(groupId, generation, memberId)).toBuffer();
};

export const leaveGroup: Handler = (ctx, req, r) => {
  const groupId = r.string();
  const memberId = r.string();
  if (!mayUse(ctx, req, groupId)) return new Writer().int16(GROUP_DENIED).toBuffer();
  return new Writer().int16(ctx.groups.leave(groupId, memberId)).toBuffer();
};

/** OffsetCommit v2. Offsets are stored verbatim (negative ones too) and visible at once. */
export const offsetCommit: Handler = (ctx, req, r) => {
  const groupId = r.string();
  const generation = r.int32();
  const memberId = r.string();
  r.int64(); // retention_time_ms: offsets are kept forever
  const topics = r.array((x) => ({
    name: x.string(),
    partitions: x.array((y) => ({ partition: y.int32(), offset: y.int64(), metadata: y.nullableString() })),
  }));
  const groupError = !mayUse(ctx, req, groupId)
    ? GROUP_DENIED
    : groupId === ''
      ? ErrorCode.INVALID_GROUP_ID
      : ctx.groups.checkCommit(groupId, generation, memberId);
  const w = new Writer();
  w.array(topics, (w2, t) => {
    w2.string(t.name);
    const readable = ctx.cfg.authorizer.topic(req.principal, 'read', t.name);
    w2.array(t.partitions, (w3, p) => {
      let error: number = groupError;
      if (error === ErrorCode.NONE && !readable) error = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
      if (error === ErrorCode.NONE && !ctx.topics.partition(t.name, p.partition)) {
        error = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      }
      if (error === ErrorCode.NONE) ctx.offsets.commit(groupId, t.name, p.partition, Number(p.offset), p.metadata);
      w3.int32(p.partition).int16(error);
    });
  });
  return w.toBuffer();
};

/** OffsetFetch v1: the committed offset, or -1 ("none", which makes clients apply their reset policy). */
export const offsetFetch: Handler = (ctx, req, r) => {
  const groupId = r.string();
  const topics = r.array((x) => ({ name: x.string(), partitions: x.array((y) => y.int32()) }));
  const groupAllowed = mayUse(ctx, req, groupId);
  const w = new Writer();
  w.array(topics, (w2, t) => {
    w2.string(t.name);
    const error = !groupAllowed
      ? GROUP_DENIED
      : ctx.cfg.authorizer.topic(req.principal, 'describe', t.name)
        ? ErrorCode.NONE
        : ErrorCode.TOPIC_AUTHORIZATION_FAILED;
    w2.array(t.partitions, (w3, partition) => {
      const c = error === ErrorCode.NONE ? ctx.offsets.get(groupId, t.name, partition) : undefined;
      w3.int32(partition)
        .int64(c ? c.offset : -1)
        .nullableString(c?.metadata ?? '')
        .int16(error);
    });
  });
  return w.toBuffer();
};

export const describeGroups: Handler = (ctx, req, r) => {
  const ids = r.array((x) => x.string());
  const w = new Writer();
  w.array(ids, (w2, id) => {
    if (!mayUse(ctx, req, id)) {
      w2.int16(GROUP_DENIED).string(id).string('').string('').string('').int32(0);
      return;
    }
    const g = ctx.groups.describe(id);
    w2.int16(ErrorCode.NONE).string(g.groupId).string(g.state).string(g.protocolType).string(g.protocol);
    w2.array(g.members, (w3, m) =>
      w3.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment),
    );
  });
  return w.toBuffer();
};

export const listGroups: Handler = (ctx, req) => {
  const w = new Writer().int16(ErrorCode.NONE);
  const visible = ctx.groups.list().filter((g) => mayUse(ctx, req, g.groupId));
  w.array(visible, (w2, g) => w2.string(g.groupId).string(g.protocolType));
  return w.toBuffer();
};
