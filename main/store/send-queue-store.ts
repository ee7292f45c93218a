/**
 * The send queue's door (docs/routing.md): the router and delivery queue,
 * claim and settle sends here, never by SQL. Jobs kept across restarts come
 * through the same door.
 */
import type { JobTable } from '../index/job-table.js';
import type { SendQueueTable } from '../index/send-queue-table.js';

export type {
  DestinationCounts,
  JobRowCounts,
  QueueFilter,
  QueueRow,
  QueueRowInput,
  RoutableInstance,
  RouteWait,
  RowSettlement,
  StudyQueueCounts,
  WaitScope,
} from '../index/send-queue-table.js';

export type SendQueueStore = SendQueueTable;
export type JobLog = JobTable;
