/** The send queue's place in the status bar: a button that says when sends fail (in the warning colour) and opens the queue panel. */
import { useState } from 'react';
import { QueuePanel } from './QueuePanel.js';
import { queueHeadline } from './queue-words.js';
import { useSendQueue } from './use-send-queue.js';

export function QueueButton() {
  const sendQueue = useSendQueue();
  const [open, setOpen] = useState(false);
  if (sendQueue.unavailable) return null;
  const headline = queueHeadline(sendQueue.queue);
  return (
    <>
      <button type="button" className={open ? 'tab active queue-button' : 'tab queue-button'} aria-expanded={open} onClick={() => setOpen((o) => !o)} title="What is being sent to other nodes">
        Send queue
        {headline.text && <span className={`queue-badge ${headline.tone}`}>{headline.text}</span>}
      </button>
      {open && <QueuePanel sendQueue={sendQueue} onClose={() => setOpen(false)} />}
    </>
  );
}
