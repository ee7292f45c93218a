/** The thin bar at the top: where you are, which node serves you, help; below it, a banner while the node cannot receive studies. */
import { useEffect, useState } from 'react';
import { apiPaths, type StorageStatus } from '../../shared/api/app-api.js';
import { QueueButton } from '../queue/QueueButton.js';
import { getJson } from './lib/api-client.js';
import { DisplayMenu } from './DisplayMenu.js';
import { navigate } from './routes.js';

interface NodeStatus {
  aet: string;
  dicomPort: number;
  version: string;
  storage?: StorageStatus;
}

/** How often the node's status is asked again: a disk that fills or frees shows within this. */
const STATUS_REFRESH_MS = 30_000;

/** `path`: the current page's address, to show it on another display. */
export function StatusBar({ page, path, onHelp }: { page: 'worklist' | 'viewer'; path: string; onHelp: () => void }) {
  const [status, setStatus] = useState<NodeStatus>();
  useEffect(() => {
    const refresh = () => void getJson<NodeStatus>(apiPaths.status).then(setStatus, () => undefined);
    refresh();
    const timer = setInterval(refresh, STATUS_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const storage = status?.storage;
  return (
    <>
      <header className="status-bar">
        <button type="button" className={page === 'worklist' ? 'tab active' : 'tab'} onClick={() => navigate({ page: 'worklist' })}>
          Worklist
        </button>
        <span className="spacer" />
        <QueueButton />
        {status && (
          <span className="node-status" title={`Viewbox ${status.version}`}>
            {status.aet} · DICOM port {status.dicomPort}
          </span>
        )}
        <DisplayMenu route={path} />
        <button type="button" className="tab" onClick={onHelp} title="Keyboard shortcuts (?)">
          ?
        </button>
      </header>
      {storage && !storage.writable && (
        <div className="storage-banner" role="alert">
          Disk full: this workstation cannot receive studies. Studies already here can be read; free space on the data folder&apos;s disk and it receives again.
        </div>
      )}
    </>
  );
}
