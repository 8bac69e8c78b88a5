/**
 * The API table advertised through ApiVersions. Versions are chosen for the
 * two clients we test:
 * - kafkajs 2.2.4 uses min(its max, our max) and ignores our min.
 *   Produce ≥3 / Fetch ≥4 are required (older ones carry legacy MessageSets
 *   that kafkajs can't decode); JoinGroup ≤3 avoids the MEMBER_ID_REQUIRED
 *   round trip; OffsetFetch needs ≥1.
 * - librdkafka (kcat) enables features only when our [min, max] overlaps its
 *   fixed ranges: MsgVer2 needs Produce 3 and Fetch 4; balanced consumer needs
 *   JoinGroup/SyncGroup/Heartbeat/LeaveGroup/FindCoordinator v0,
 *   OffsetCommit 1–2 and OffsetFetch 1. Hence JoinGroup 0–1.
 * No flexible versions (no tagged fields) except SaslAuthenticate v2, which decodes its own.
 */
import { ApiKey } from '../protocol/constants';
import { makeApiVersionsHandler } from './apiVersions';
import {
  describeGroups,
  findCoordinator,
  heartbeat,
  joinGroup,
  leaveGroup,
  listGroups,
  offsetCommit,
  offsetFetch,
  syncGroup,
} from './groups';
import { fetch, listOffsets, produce } from './records';
import { saslAuthenticate, saslHandshake } from './sasl';
import { createTopics, deleteTopics, metadata } from './topics';
import type { ApiSpec } from './types';

export function buildApiTable(): ReadonlyMap<number, ApiSpec> {
  const apis = new Map<number, ApiSpec>();
  const add = (key: number, name: string, minVersion: number, maxVersion: number, handle: ApiSpec['handle']) =>
    apis.set(key, { key, name, minVersion, maxVersion, handle });
  add(ApiKey.Produce, 'Produce', 3, 3, produce);
  add(ApiKey.Fetch, 'Fetch', 4, 4, fetch);
  add(ApiKey.ListOffsets, 'ListOffsets', 1, 1, listOffsets);
  add(ApiKey.Metadata, 'Metadata', 1, 1, metadata);
  add(ApiKey.OffsetCommit, 'OffsetCommit', 2, 2, offsetCommit);
  add(ApiKey.OffsetFetch, 'OffsetFetch', 1, 1, offsetFetch);
  add(ApiKey.FindCoordinator, 'FindCoordinator', 0, 0, findCoordinator);
  add(ApiKey.JoinGroup, 'JoinGroup', 0, 1, joinGroup);
  add(ApiKey.Heartbeat, 'Heartbeat', 0, 0, heartbeat);
  add(ApiKey.LeaveGroup, 'LeaveGroup', 0, 0, leaveGroup);
  add(ApiKey.SyncGroup, 'SyncGroup', 0, 0, syncGroup);
  add(ApiKey.DescribeGroups, 'DescribeGroups', 0, 0, describeGroups);
  add(ApiKey.ListGroups, 'ListGroups', 0, 0, listGroups);
  add(
    ApiKey.ApiVersions,
    'ApiVersions',
    0,
    2,
    makeApiVersionsHandler(() => apis),
  );
  add(ApiKey.CreateTopics, 'CreateTopics', 0, 1, createTopics);
  add(ApiKey.DeleteTopics, 'DeleteTopics', 0, 0, deleteTopics);
  // v1 is what kafkajs and librdkafka use (v0 = raw SASL tokens, refused); v2 is the
  // flexible encoding newer Java clients send.
  add(ApiKey.SaslHandshake, 'SaslHandshake', 0, 1, saslHandshake);
  add(ApiKey.SaslAuthenticate, 'SaslAuthenticate', 0, 2, saslAuthenticate);
  return apis;
}
