/**
 * Metadata (3) v1, CreateTopics (19) v0–v1, DeleteTopics (20) v0.
 * ACLs: Metadata lists only the topics the principal may describe; creating and deleting
 * topics (auto-creation included) is for super users only (CLUSTER_AUTHORIZATION_FAILED).
 * Limits: partitions per topic (INVALID_PARTITIONS), topics and partitions in total
 * (POLICY_VIOLATION), checked before anything is allocated.
 */
import { Writer } from '../protocol/codec';
import { ErrorCode, NODE_ID } from '../protocol/constants';
import { isValidTopicName, type Topic } from '../storage/topicStore';
import type { BrokerContext, Handler } from './types';

function writeTopic(w: Writer, error: number, name: string, topic: Topic | undefined): void {
  w.int16(error).string(name).bool(false);
  const count = topic?.partitions.length ?? 0;
  w.int32(count);
  for (let p = 0; p < count; p++) {
    // Every partition is led by this node: the only replica, always in sync.
    w.int16(ErrorCode.NONE).int32(p).int32(NODE_ID);
    w.int32(1).int32(NODE_ID);
    w.int32(1).int32(NODE_ID);
  }
}

/**
 * Metadata v1. A null topic list means "all topics" (kafkajs also sends its
 * empty list as null); unknown topics are auto-created when enabled, because
 * that is how producers and consumers of new topics expect Kafka to behave.
 */
export const metadata: Handler = (ctx, req, r) => {
  const requested = r.nullableArray((x) => x.string());
  const acl = ctx.cfg.authorizer;
  const w = new Writer();
  w.array([{}], (w2) => w2.int32(NODE_ID).string(ctx.advertisedHost).int32(ctx.advertisedPort).nullableString(null));
  w.int32(NODE_ID); // controller_id: must name a listed broker or admin calls fail
  const names =
    requested === null
      ? ctx.topics.names().filter((name) => acl.topic(req.principal, 'describe', name))
      : [...new Set(requested)];
  w.int32(names.length);
  for (const name of names) {
    let topic = ctx.topics.get(name);
    let error: number = ErrorCode.NONE;
    if (!acl.topic(req.principal, 'describe', name)) {
      topic = undefined;
      error = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
    } else if (!topic) {
      if (!isValidTopicName(name)) error = ErrorCode.INVALID_TOPIC_EXCEPTION;
      else if (!ctx.cfg.autoCreateTopics || !acl.cluster(req.principal)) error = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      else if (limitError(ctx, ctx.cfg.defaultPartitions)) {
        ctx.cfg.logger.warn(`not auto-creating ${name}: ${limitError(ctx, ctx.cfg.defaultPartitions)!.message}`);
        error = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      } else topic = ctx.topics.create(name, ctx.cfg.defaultPartitions);
    }
    writeTopic(w, error, name, topic);
  }
  return w.toBuffer();
};

/** Would `partitions` more (in one new topic) go past a limit? */
function limitError(ctx: BrokerContext, partitions: number): { error: number; message: string } | null {
  const { maxPartitionsPerTopic, maxPartitions, maxTopics } = ctx.cfg.limits;
  if (partitions > maxPartitionsPerTopic) {
    return {
      error: ErrorCode.INVALID_PARTITIONS,
      message: `Number of partitions ${partitions} is above this broker's limit of ${maxPartitionsPerTopic} per topic.`,
    };
  }
  if (ctx.topics.size + 1 > maxTopics) {
    return { error: ErrorCode.POLICY_VIOLATION, message: `This broker's limit of ${maxTopics} topics is reached.` };
  }
  if (ctx.topics.totalPartitions() + partitions > maxPartitions) {
    return {
      error: ErrorCode.POLICY_VIOLATION,
      message: `This broker's limit of ${maxPartitions} partitions in total would be exceeded.`,
    };
  }
  return null;
}

interface CreateTopicRequest {
  name: string;
  partitions: number;
  replicationFactor: number;
  assignments: { partition: number; replicas: number[] }[];
}

function validateCreate(
  ctx: BrokerContext,
  t: CreateTopicRequest,
): { error: number; message: string | null; partitions: number } {
  const bad = (error: number, message: string) => ({ error, message, partitions: 0 });
  if (!isValidTopicName(t.name)) return bad(ErrorCode.INVALID_TOPIC_EXCEPTION, `Invalid topic name '${t.name}'.`);
  if (ctx.topics.get(t.name)) return bad(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
  if (t.assignments.length > 0) {
    if (t.partitions !== -1 || t.replicationFactor !== -1) {
      return bad(ErrorCode.INVALID_REQUEST, 'Both partitions/replication factor and replica assignment were given.');
    }
    const ids = new Set(t.assignments.map((a) => a.partition));
    const contiguous = [...ids].every((p) => p >= 0 && p < t.assignments.length) && ids.size === t.assignments.length;
    const onlyUs = t.assignments.every((a) => a.replicas.length === 1 && a.replicas[0] === NODE_ID);
    if (!contiguous || !onlyUs) return bad(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Only broker 0 exists.');
    const limited = limitError(ctx, t.assignments.length);
    if (limited) return bad(limited.error, limited.message);
    return { error: ErrorCode.NONE, message: null, partitions: t.assignments.length };
  }
  const partitions = t.partitions === -1 ? ctx.cfg.defaultPartitions : t.partitions;
  if (partitions < 1) return bad(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
  const limited = limitError(ctx, partitions);
  if (limited) return bad(limited.error, limited.message);
  if (t.replicationFactor !== -1 && t.replicationFactor !== 1) {
    return bad(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      `Replication factor: ${t.replicationFactor} larger than available brokers: 1.`,
    );
  }
  return { error: ErrorCode.NONE, message: null, partitions };
}

/** CreateTopics v0–v1. Topic configs are accepted and ignored (no retention or compaction here). */
export const createTopics: Handler = (ctx, req, r) => {
  const topics = r.array((x): CreateTopicRequest => {
    const name = x.string();
    const partitions = x.int32();
    const replicationFactor = x.int16();
    const assignments = x.array((y) => ({ partition: y.int32(), replicas: y.array((z) => z.int32()) }));
    x.array((y) => [y.string(), y.nullableString()]); // configs: ignored
    return { name, partitions, replicationFactor, assignments };
  });
  r.int32(); // timeout_ms: creation is immediate
  const validateOnly = req.apiVersion >= 1 ? r.bool() : false;
  const counts = new Map<string, number>();
  for (const t of topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);

  const allowed = ctx.cfg.authorizer.cluster(req.principal);
  const w = new Writer();
  w.array(topics, (w2, t) => {
    let result = validateCreate(ctx, t);
    if (!allowed) {
      result = {
        error: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
        message: 'Cluster authorization failed.',
        partitions: 0,
      };
    } else if ((counts.get(t.name) ?? 0) > 1) {
      result = { error: ErrorCode.INVALID_REQUEST, message: 'Duplicate topic in request.', partitions: 0 };
    }
    if (result.error === ErrorCode.NONE && !validateOnly) ctx.topics.create(t.name, result.partitions);
    w2.string(t.name).int16(result.error);
    if (req.apiVersion >= 1) w2.nullableString(result.message);
  });
  return w.toBuffer();
};

/** DeleteTopics v0. Also forgets the topic's committed offsets. */
export const deleteTopics: Handler = (ctx, req, r) => {
  const names = r.array((x) => x.string());
  r.int32(); // timeout_ms
  const allowed = ctx.cfg.authorizer.cluster(req.principal);
  const w = new Writer();
  w.array(names, (w2, name) => {
    if (!allowed) {
      w2.string(name).int16(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
      return;
    }
    const deleted = ctx.topics.delete(name);
    if (deleted) ctx.offsets.deleteTopic(name);
    w2.string(name).int16(deleted ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });
  return w.toBuffer();
};
