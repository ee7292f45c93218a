/**
 * The node's routing as one running piece: the router (rules -> queue rows),
 * delivery (queue rows -> destinations), the queue as people see it, its
 * events, and manual sends through the queue. main/node.ts builds it after
 * the archive and closes it before the archive.
 */
import type { RemoteNode, ViewboxConfig } from '../../shared/config.js';
import type { RoutesResponse } from '../../shared/api/routes-api.js';
import type { ScuPeer } from '../dicom/scu/client-association.js';
import type { CommitmentReports } from '../dicom/commitment-reports.js';
import type { Transcode } from '../dicom/stored-instance.js';
import type { NodeEvents } from '../events/node-events.js';
import type { Job, JobRegistry } from '../jobs/job-registry.js';
import type { Logger } from '../log.js';
import type { ArchiveReader } from '../store/archive-reader.js';
import type { SendQueueStore } from '../store/send-queue-store.js';
import { Delivery } from './delivery.js';
import { destinationsOf, type Destination } from './destination-list.js';
import type { DestinationSender } from './destinations/destination-sender.js';
import { dimseSender } from './destinations/dimse-destination.js';
import { stowSender } from './destinations/stow-destination.js';
import type { LiveRules } from './live-rules.js';
import { startManualSend, startQueuedSend, type ManualSendDeps } from './manual-send.js';
import { QueueEvents } from './queue-events.js';
import { createQueueService, type QueueService } from './queue-service.js';
import { queueSettings } from './queue-settings.js';
import type { RouteCopier } from './route-copies.js';
import { Router } from './router.js';
import { destinationSummary, ruleSummary } from './rule-summary.js';
import { ruleRunRows, ruleToRun, targetText, type RuleTarget } from './run-rule.js';
import { storageCommitmentStep } from './storage-commitment-step.js';

export interface RoutingParts {
  config: ViewboxConfig;
  queue: SendQueueStore;
  reader: ArchiveReader;
  events: Pick<NodeEvents, 'publish'>;
  jobs: JobRegistry;
  /** The routing file's rules in force (undefined while none could be read: nothing is routed, queued sends still go), and why the file on disk is not in force. */
  rules: Pick<LiveRules, 'rules' | 'problem'>;
  /** Who we are to a DIMSE node (AE title, limits, TLS). */
  peerOf: (node: RemoteNode) => ScuPeer;
  transcode?: Transcode;
  /** Makes a route's transcoded or de-identified copy (transformForRoute with the node's secret). */
  copier?: RouteCopier;
  /** Where storage commitment reports arrive (the N-ACTION's association, or the DICOM listener); without it, nothing is asked to commit. */
  commitmentReports?: CommitmentReports;
  logger: Logger;
}

export interface RoutingService {
  readonly queue: QueueService;
  /** An instance was committed to the archive: route it. */
  instanceCommitted(): void;
  /** True when rules or manual sends may name this destination. */
  hasDestination(name: string): boolean;
  /** A held study (or series) sent to a destination through the queue, as a job. */
  send(destination: string, target: RuleTarget): Job;
  /** A rule run on demand on a held study or series, as a job; throws RunRuleError when it cannot run. */
  runRule(ruleId: string, target: RuleTarget): Job;
  /** The rules in force, the destinations, and why the routing file is not in force (GET /api/routes). */
  routes(): RoutesResponse;
  close(): Promise<void>;
}

export function startRouting(parts: RoutingParts): RoutingService {
  const { config, queue, reader, logger } = parts;
  const destinations = destinationsOf(config);
  const settings = queueSettings(config);
  const listeners = new Set<(destination: string) => void>();
  const service = createQueueService({ queue, reader, destinations: () => destinations, onChange: (names) => names.forEach(changed) });
  const events = new QueueEvents(parts.events, (name) => service.summary(name));
  const senders = new Map<string, DestinationSender>();
  const senderFor = (d: Destination): DestinationSender => {
    let sender = senders.get(d.name);
    if (!sender) {
      sender = d.kind === 'dimse' ? dimseSender(parts.peerOf(d.node), parts.transcode) : stowSender(d.node);
      senders.set(d.name, sender);
    }
    return sender;
  };
  const reports = parts.commitmentReports;
  const delivery = new Delivery({
    queue,
    reader,
    copier: parts.copier,
    destinations,
    senderFor,
    policy: settings,
    concurrencyOf: (d) => Math.max(1, d.node.concurrency ?? settings.concurrencyPerDestination),
    ...(reports ? { afterGroup: storageCommitmentStep({ queue, peerOf: parts.peerOf, reports, getInstance: (uid) => reader.getInstance(uid), logger: logger.child({ sub: 'commitment' }) }) } : {}),
    onChange: (name) => notify(name),
    logger: logger.child({ sub: 'delivery' }),
  });
  function notify(name: string): void {
    events.changed(name);
    for (const listener of listeners) listener(name);
  }
  function changed(name: string): void {
    notify(name);
    delivery.wake([name]);
  }
  const router = new Router({
    queue,
    rules: () => parts.rules.rules(),
    onQueued: (names) => names.forEach(changed),
    logger: logger.child({ sub: 'router' }),
  });
  const followed: ManualSendDeps = {
    queue,
    jobs: parts.jobs,
    changed,
    onDestinationChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  delivery.start();
  router.start();
  return {
    queue: service,
    instanceCommitted: () => router.instanceCommitted(),
    hasDestination: (name) => destinations.some((d) => d.name === name),
    send(destination, target) {
      const instances = reader.listInstances(target.seriesUid ? { seriesUid: target.seriesUid } : { studyUid: target.studyUid });
      const title = `Send study ${target.studyUid} to ${destination}`;
      if (instances.length === 0) {
        const missing = `${target.seriesUid ? `series ${target.seriesUid}` : `study ${target.studyUid}`} is not in the archive`;
        return parts.jobs.start({ kind: 'send', node: destination, title, studyUid: target.studyUid }, () => Promise.reject(new Error(missing)));
      }
      return startManualSend(followed, destination, instances, { title, studyUid: target.studyUid });
    },
    runRule(ruleId, target) {
      const rule = ruleToRun(parts.rules.rules(), ruleId, parts.rules.problem());
      const held = target.seriesUid ? queue.instancesIn('series', target.seriesUid).filter((i) => i.studyUid === target.studyUid) : queue.instancesIn('study', target.studyUid);
      const rows = ruleRunRows(rule, target, held);
      const node = [...new Set(rows.map((r) => r.destination))].join(', ');
      logger.info('routing rule run on demand', { rule: rule.id, study: target.studyUid, series: target.seriesUid, sends: rows.length });
      return startQueuedSend(followed, rows, { title: `Route ${targetText(target)} by rule ${rule.id}`, studyUid: target.studyUid, node });
    },
    routes() {
      const problem = parts.rules.problem();
      return { rules: (parts.rules.rules() ?? []).map(ruleSummary), destinations: destinations.map(destinationSummary), ...(problem ? { problem } : {}) };
    },
    async close() {
      router.close();
      events.close();
      reports?.close();
      await delivery.close();
    },
  };
}
