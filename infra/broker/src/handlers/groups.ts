/**
 * Group APIs: FindCoordinator (10) v0, JoinGroup (11) v0–v1, Heartbeat (12) v0,
 * LeaveGroup (13) v0, SyncGroup (14) v0, DescribeGroups (15) v0,
 * ListGroups (16) v0, OffsetCommit (8) v2, OffsetFetch (9) v1.
 * Decoding/encoding only; the state machine lives in the coordinator.
 */
import { Writer } from '../protocol/codec';
import { ErrorCode, NODE_ID } from '../protocol/constants';
import type { JoinResult, SyncResult } from '../coordinator/groupCoordinator';
import type { Handler } from './types';

export const findCoordinator: Handler = (ctx, _req, r) => {
  r.string(); // group id: this node coordinates every group
  return new Writer()
    .int16(ErrorCode.NONE)
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
  return encodeSync(await ctx.groups.sync(groupId, generation, memberId, assignments, req.signal));
};

export const heartbeat: Handler = (ctx, _req, r) => {
  const groupId = r.string();
  const generation = r.int32();
  const memberId = r.string();
  return new Writer().int16(ctx.groups.heartbeat(groupId, generation, memberId)).toBuffer();
};

export const leaveGroup: Handler = (ctx, _req, r) => {
  const groupId = r.string();
  const memberId = r.string();
  return new Writer().int16(ctx.groups.leave(groupId, memberId)).toBuffer();
};

/** OffsetCommit v2. Offsets are stored verbatim (negative ones too) and visible at once. */
export const offsetCommit: Handler = (ctx, _req, r) => {
  const groupId = r.string();
  const generation = r.int32();
  const memberId = r.string();
  r.int64(); // retention_time_ms: offsets are kept forever
  const topics = r.array((x) => ({
    name: x.string(),
    partitions: x.array((y) => ({ partition: y.int32(), offset: y.int64(), metadata: y.nullableString() })),
  }));
  const groupError =
    groupId === '' ? ErrorCode.INVALID_GROUP_ID : ctx.groups.checkCommit(groupId, generation, memberId);
  const w = new Writer();
  w.array(topics, (w2, t) => {
    w2.string(t.name);
    w2.array(t.partitions, (w3, p) => {
      let error: number = groupError;
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
export const offsetFetch: Handler = (ctx, _req, r) => {
  const groupId = r.string();
  const topics = r.array((x) => ({ name: x.string(), partitions: x.array((y) => y.int32()) }));
  const w = new Writer();
  w.array(topics, (w2, t) => {
    w2.string(t.name);
    w2.array(t.partitions, (w3, partition) => {
      const c = ctx.offsets.get(groupId, t.name, partition);
      w3.int32(partition)
        .int64(c ? c.offset : -1)
        .nullableString(c?.metadata ?? '')
        .int16(ErrorCode.NONE);
    });
  });
  return w.toBuffer();
};

export const describeGroups: Handler = (ctx, _req, r) => {
  const ids = r.array((x) => x.string());
  const w = new Writer();
  w.array(ids, (w2, id) => {
    const g = ctx.groups.describe(id);
    w2.int16(ErrorCode.NONE).string(g.groupId).string(g.state).string(g.protocolType).string(g.protocol);
    w2.array(g.members, (w3, m) =>
      w3.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment),
    );
  });
  return w.toBuffer();
};

export const listGroups: Handler = (ctx) => {
  const w = new Writer().int16(ErrorCode.NONE);
  w.array(ctx.groups.list(), (w2, g) => w2.string(g.groupId).string(g.protocolType));
  return w.toBuffer();
};
