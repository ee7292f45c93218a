/**
 * How a command reaches the node that owns its data folder: the node's HTTP
 * API on loopback, with the bearer token from DATA/owner.json (owner-only, so
 * only this user's commands can read it). A job started there is followed by
 * polling, and looks to the caller like a job of its own process.
 */
import type { JobInfo } from '../../shared/api/jobs.js';
import type { Job } from '../jobs/job-registry.js';
import type { RunningNode } from '../store/data-folder-owner.js';

/** How often a followed job's state is read: fast enough for a progress bar. */
const POLL_MS = 200;

export class NodeClient {
  constructor(readonly node: RunningNode) {}

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const url = new URL(path, this.node.url);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${this.node.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new Error(`the node that holds the data folder (process ${this.node.pid}, ${this.node.url}) did not answer: ${(error as Error).message}`, { cause: error });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const reason = (parsed as { error?: string } | undefined)?.error ?? (text || response.statusText);
      throw new Error(`the node at ${this.node.url} refused ${method} ${url.pathname} (${response.status}): ${reason}`);
    }
    return parsed as T;
  }

  /** Start a job with a POST, then follow it until it ends. */
  async startJob(path: string, body: unknown): Promise<Job> {
    return this.follow(await this.request<JobInfo>('POST', path, body));
  }

  private follow(first: JobInfo): Job {
    let info = first;
    const finished = (async () => {
      while (info.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        info = await this.request<JobInfo>('GET', `/api/jobs/${encodeURIComponent(first.id)}`);
      }
      return info;
    })().catch((error: unknown): JobInfo => ({ ...info, state: 'failed', error: (error as Error).message }));
    return {
      get info() {
        return info;
      },
      finished,
      cancel: () => void this.request('POST', `/api/jobs/${encodeURIComponent(first.id)}/cancel`).catch(() => {}),
    };
  }
}
