/** Admin API and consumer-group assignment/rebalance behaviour with kafkajs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '@onecheck/clock';
import { AssignerProtocol, type Admin, type Consumer, type Kafka } from 'kafkajs';
import { Condition, fastConsumer, kafkaFor, startTestBroker, uid, waitFor, type TestBroker } from './helpers';

let broker: TestBroker;
let kafka: Kafka;
let admin: Admin;
const consumers: Consumer[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = kafkaFor(broker.brokers);
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await Promise.allSettled(consumers.map((c) => c.disconnect()));
  await admin?.disconnect();
  await broker?.stop();
});

/** A consumer that records its latest assignment (from GROUP_JOIN) for `topic`. */
async function trackedConsumer(groupId: string, topic: string) {
  const consumer = kafka.consumer(fastConsumer(groupId));
  consumers.push(consumer);
  const state = { partitions: null as number[] | null, joins: 0, changed: new Condition() };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    state.partitions = [...(e.payload.memberAssignment[topic] ?? [])].sort();
    state.joins++;
    state.changed.notify();
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async () => {} });
  return { consumer, state };
}

/** The broker's view of a group: state and decoded member assignments. */
async function describe1(groupId: string, topic: string) {
  const { groups } = await admin.describeGroups([groupId]);
  const g = groups[0]!;
  return {
    state: g.state,
    assignments: g.members.map((m) => {
      const a = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
      return [...(a?.assignment[topic] ?? [])].sort();
    }),
  };
}

describe('admin', () => {
  it('createTopics returns true, then false; metadata shows 3 partitions', async () => {
    const topic = uid('admin');
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })).toBe(false);
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(md.topics).toHaveLength(1);
    expect(md.topics[0]!.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    for (const p of md.topics[0]!.partitions) expect(p.leader).toBe(0);
    expect(await admin.listTopics()).toContain(topic);
  });

  it('uses the default partition count and rejects bad partition counts and replication factors', async () => {
    const dflt = uid('dflt');
    await admin.createTopics({ topics: [{ topic: dflt }] });
    const md = await admin.fetchTopicMetadata({ topics: [dflt] });
    expect(md.topics[0]!.partitions).toHaveLength(3);
    await expect(admin.createTopics({ topics: [{ topic: uid('zero'), numPartitions: 0 }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'INVALID_PARTITIONS' })],
    });
    await expect(
      admin.createTopics({ topics: [{ topic: uid('rf'), numPartitions: 1, replicationFactor: 3 }] }),
    ).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'INVALID_REPLICATION_FACTOR' })] });
  });

  it('deletes topics', async () => {
    const topic = uid('del');
    await admin.createTopics({ topics: [{ topic }] });
    await admin.deleteTopics({ topics: [topic] });
    expect(await admin.listTopics()).not.toContain(topic);
  });

  it('fetchOffsets and setOffsets work on an empty group', async () => {
    const topic = uid('offs');
    const groupId = uid('g');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    // (kafkajs' setOffsets runs a paused consumer that idles for its default
    // 5 s maxWaitTime before it stops: that is client-side, not the broker.)
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 1, offset: '0' }] });
    const [res] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const byPartition = Object.fromEntries(res!.partitions.map((p) => [p.partition, p.offset]));
    expect(byPartition).toEqual({ 0: '-1', 1: '0' });
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).toContain(groupId);
  });
});

describe('consumer groups', { timeout: 40_000 }, () => {
  it('two consumers get disjoint assignments covering all partitions; a graceful leave rebalances quickly', async () => {
    const topic = uid('grp');
    const groupId = uid('g');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    const a = await trackedConsumer(groupId, topic);
    const b = await trackedConsumer(groupId, topic);

    const view = await waitFor(async () => {
      const d = await describe1(groupId, topic);
      return d.state === 'Stable' && d.assignments.length === 2 && d.assignments.every((x) => x.length > 0) && d;
    }, 'a stable group of two with partitions for both');
    const all = view.assignments.flat().sort();
    expect(all).toEqual([0, 1, 2]); // covering and, with no repeats, disjoint

    // The clients agree with the broker once their joins settle.
    await a.state.changed.wait(
      () => (a.state.partitions?.length ?? 0) > 0 && (a.state.partitions?.length ?? 0) < 3,
      'a to own part',
    );
    await b.state.changed.wait(
      () => (b.state.partitions?.length ?? 0) > 0 && (b.state.partitions?.length ?? 0) < 3,
      'b to own part',
    );
    expect([...a.state.partitions!, ...b.state.partitions!].sort()).toEqual([0, 1, 2]);

    const started = systemClock.millis();
    await b.consumer.disconnect(); // LeaveGroup
    await a.state.changed.wait(() => a.state.partitions?.length === 3, 'the survivor to own every partition', 5000);
    expect(systemClock.millis() - started).toBeLessThan(3000);
    await a.consumer.disconnect();
  });

  it('four consumers on three partitions: one stays idle, nothing crashes', async () => {
    const topic = uid('four');
    const groupId = uid('g');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    const members = [];
    for (let i = 0; i < 4; i++) members.push(await trackedConsumer(groupId, topic));
    const view = await waitFor(async () => {
      const d = await describe1(groupId, topic);
      return d.state === 'Stable' && d.assignments.length === 4 && d.assignments.flat().length === 3 && d;
    }, 'a stable group of four');
    expect(view.assignments.flat().sort()).toEqual([0, 1, 2]);
    expect(view.assignments.filter((x) => x.length === 0)).toHaveLength(1);
    await Promise.all(members.map((m) => m.consumer.disconnect()));
    const after = await describe1(groupId, topic);
    expect(after.state).toBe('Empty');
  });
});
