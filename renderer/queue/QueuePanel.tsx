/**
 * The send queue as a reader or a technologist checks it: per destination
 * what is waiting, being sent, failing (with the last error and the next try)
 * and given up, with Retry for what was given up and Retry now for what
 * waits out a failure; below, one row per study at a destination.
 */
import { useState } from 'react';
import type { QueueDestinationSummary, QueueListResponse, QueueSelection, QueueStudyEntry } from '../../shared/api/queue-api.js';
import { errorMessage } from '../../shared/error-message.js';
import { formatPersonName } from '../app/lib/format.js';
import { useShortcuts } from '../app/lib/use-shortcuts.js';
import type { SendQueue } from './use-send-queue.js';
import { commitmentText, destinationHealth, formatWhen, HEALTH_LABEL, PRIORITY_LABEL, waiting } from './queue-words.js';

type Act = (what: 'retry' | 'purge', selection: QueueSelection, done: (changed: number) => string) => void;

export function QueuePanel({ sendQueue, onClose }: { sendQueue: SendQueue; onClose: () => void }) {
  const { queue, error } = sendQueue;
  const [note, setNote] = useState<{ text: string; failed: boolean }>();
  const [busy, setBusy] = useState(false);
  // Escape closes the panel before it would take the viewer back to the worklist.
  useShortcuts('global', { back: onClose }, true);

  const act: Act = (what, selection, done) => {
    setBusy(true);
    sendQueue[what](selection).then(
      (changed) => setNote({ text: done(changed), failed: false }),
      (failure: unknown) => setNote({ text: errorMessage(failure), failed: true }),
    ).finally(() => setBusy(false));
  };

  return (
    <aside className="queue-panel" role="dialog" aria-label="Send queue">
      <header className="queue-panel-header">
        <h2>Send queue</h2>
        <span className="spacer" />
        <button type="button" onClick={onClose} title="Close (Esc)">
          Close
        </button>
      </header>
      {error && <p className="queue-note failed" role="alert">The send queue could not be read: {error}</p>}
      {note && <p className={note.failed ? 'queue-note failed' : 'queue-note'} role="status">{note.text}</p>}
      {!queue ? (
        !error && <p className="empty">Reading the send queue…</p>
      ) : queue.destinations.length === 0 ? (
        <p className="empty">Nothing has been sent or queued to another node.</p>
      ) : (
        <QueueContents queue={queue} busy={busy} act={act} />
      )}
    </aside>
  );
}

function QueueContents({ queue, busy, act }: { queue: QueueListResponse; busy: boolean; act: Act }) {
  return (
    <div className="queue-scroll">
      <section className="queue-destinations" aria-label="Destinations">
        {queue.destinations.map((d) => (
          <Destination key={d.destination} summary={d} busy={busy} act={act} />
        ))}
      </section>
      {queue.studies.length > 0 && <StudyRows studies={queue.studies} busy={busy} act={act} />}
    </div>
  );
}

function Destination({ summary: d, busy, act }: { summary: QueueDestinationSummary; busy: boolean; act: Act }) {
  const health = destinationHealth(d);
  return (
    <article className={`queue-destination ${health}`} aria-label={d.destination}>
      <header>
        <strong>{d.destination}</strong>
        <span className="queue-kind">{d.kind === 'dicomweb' ? 'DICOMweb' : 'DICOM'}</span>
        <span className="queue-health">{HEALTH_LABEL[health]}</span>
      </header>
      <dl className="queue-counts">
        <Count label="Waiting" value={waiting(d)} />
        <Count label="Sending" value={d.inFlight} />
        <Count label="Failing" value={d.failing} tone={d.failing > 0 ? 'warn' : undefined} />
        <Count label="Not sent" value={d.dead} tone={d.dead > 0 ? 'danger' : undefined} title="Images given up after the configured number of attempts or hours" />
        <Count label="Sent (24 h)" value={d.doneRecently} />
      </dl>
      {d.lastError && (
        <p className="queue-error">
          Last error at {formatWhen(d.lastError.at)}: {d.lastError.message}
        </p>
      )}
      {d.nextAttemptAt && d.failing > 0 && <p className="queue-next">Next try at {formatWhen(d.nextAttemptAt)}</p>}
      <div className="queue-actions">
        {d.failing > 0 && (
          <button type="button" disabled={busy} onClick={() => act('retry', { destination: d.destination, state: 'pending' }, (n) => `${images(n)} to ${d.destination} will be tried now.`)}>
            Retry now
          </button>
        )}
        {d.dead > 0 && (
          <>
            <button type="button" disabled={busy} title={`Send the ${images(d.dead)} not sent to ${d.destination} again`} onClick={() => act('retry', { destination: d.destination, state: 'dead' }, (n) => `${images(n)} to ${d.destination} are back in the queue.`)}>
              Retry
            </button>
            <button
              type="button"
              className="quiet"
              disabled={busy}
              onClick={() => {
                if (window.confirm(`Discard the ${images(d.dead)} not sent to ${d.destination}? They stay in this archive; they will not be sent.`)) {
                  act('purge', { destination: d.destination, state: 'dead' }, (n) => `${images(n)} to ${d.destination} discarded.`);
                }
              }}
            >
              Discard
            </button>
          </>
        )}
      </div>
    </article>
  );
}

function Count({ label, value, tone, title }: { label: string; value: number; tone?: 'warn' | 'danger' | undefined; title?: string }) {
  return (
    <div className={tone ? `queue-count ${tone}` : 'queue-count'} title={title}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function StudyRows({ studies, busy, act }: { studies: QueueStudyEntry[]; busy: boolean; act: Act }) {
  return (
    <table className="study-table queue-studies" aria-label="Studies in the send queue">
      <thead>
        <tr>
          <th>Destination</th>
          <th>Patient</th>
          <th>Study</th>
          <th className="num">Waiting</th>
          <th className="num">Sending</th>
          <th className="num">Failing</th>
          <th className="num">Not sent</th>
          <th className="num">Sent</th>
          <th title="Images the destination confirmed it keeps (storage commitment), of those it was asked about">Kept by PACS</th>
          <th>Priority</th>
          <th>Sent by</th>
          <th>Last error</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {studies.map((s) => (
          <StudyRow key={`${s.destination}/${s.studyUid}`} study={s} busy={busy} act={act} />
        ))}
      </tbody>
    </table>
  );
}

function StudyRow({ study: s, busy, act }: { study: QueueStudyEntry; busy: boolean; act: Act }) {
  const kept = commitmentText(s.commitment);
  return (
    <tr className="study-row">
      <td>{s.destination}</td>
      <td>
        {formatPersonName(s.patientName)}
        {s.patientId && <span className="demographics">{s.patientId}</span>}
      </td>
      <td className="grow" title={s.studyUid}>
        {s.studyDescription || 'No description'}
      </td>
      <td className="num">{waiting(s.counts)}</td>
      <td className="num">{s.counts['in-flight']}</td>
      <td className={s.counts.failing > 0 ? 'num warn' : 'num'}>{s.counts.failing}</td>
      <td className={s.counts.dead > 0 ? 'num danger' : 'num'}>{s.counts.dead}</td>
      <td className="num">{s.counts.done}</td>
      <td className={kept.refused ? 'danger' : undefined}>{kept.text}</td>
      <td className={s.priority === 'stat' ? 'danger' : undefined}>{PRIORITY_LABEL[s.priority]}</td>
      <td>{s.rule === 'manual' ? 'Manual send' : `Rule ${s.rule}`}</td>
      <td className="grow queue-row-error">{s.lastError ?? ''}</td>
      <td>
        {s.counts.dead > 0 && (
          <button type="button" disabled={busy} onClick={() => act('retry', { destination: s.destination, studyUid: s.studyUid, state: 'dead' }, (n) => `${images(n)} of this study are back in the queue.`)}>
            Retry
          </button>
        )}
      </td>
    </tr>
  );
}

function images(n: number): string {
  return n === 1 ? '1 image' : `${n} images`;
}
