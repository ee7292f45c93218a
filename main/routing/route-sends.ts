/**
 * What a matched rule asks for one instance, as queue rows and waits (pure):
 * an 'instance' trigger queues a send per destination of each action; a
 * stable trigger waits until the series or study has stopped growing.
 */
import type { RouteAction, RouteRule } from '../../shared/routing/rules.js';
import type { QueueRowInput, RouteWait } from '../store/send-queue-store.js';
import { priorityRank } from './queue-settings.js';

export interface InstanceRef {
  studyUid: string;
  seriesUid: string;
  sopUid: string;
}

/** The canonical form of an action's transform: '' for the stored bytes, else JSON with a fixed key order. */
export function transformKey(action: Pick<RouteAction, 'transcode' | 'deidentify'>): string {
  const transcode = action.transcode && action.transcode !== 'as-stored' ? action.transcode : undefined;
  const deidentify = action.deidentify ? { profile: action.deidentify.profile, options: [...(action.deidentify.options ?? [])].sort() } : undefined;
  if (!transcode && !deidentify) return '';
  return JSON.stringify({ ...(transcode ? { transcode } : {}), ...(deidentify ? { deidentify } : {}) });
}

/** Every send a rule makes of one instance, now. */
export function sendsOf(rule: RouteRule, instance: InstanceRef): QueueRowInput[] {
  return rule.actions.flatMap((action) =>
    action.forward.map((destination) => ({
      destination,
      studyUid: instance.studyUid,
      seriesUid: instance.seriesUid,
      sopUid: instance.sopUid,
      rule: rule.id,
      transform: transformKey(action),
      priority: priorityRank(rule.priority),
    })),
  );
}

/** What one matched rule does with an instance just evaluated. */
export function routeInstance(rule: RouteRule, instance: InstanceRef, now: Date): { rows: QueueRowInput[]; wait?: RouteWait } {
  const trigger = rule.trigger;
  switch (trigger.on) {
    case 'instance':
      return { rows: sendsOf(rule, instance) };
    case 'series-stable':
    case 'study-stable': {
      const scope = trigger.on === 'series-stable' ? 'series' : 'study';
      const dueAt = new Date(now.getTime() + trigger.seconds * 1000).toISOString();
      return { rows: [], wait: { rule: rule.id, scope, uid: scope === 'series' ? instance.seriesUid : instance.studyUid, dueAt } };
    }
    case 'manual':
      return { rows: [] };
  }
}
