/** The thin bar at the top: where you are, which node serves you, help. */
import { useEffect, useState } from 'react';
import { apiPaths } from '../../shared/api/app-api.js';
import { getJson } from './api-client.js';
import { DisplayMenu } from './DisplayMenu.js';
import { navigate } from './routes.js';

interface NodeStatus {
  aet: string;
  dicomPort: number;
  version: string;
}

/** `path`: the current page's address, to show it on another display. */
export function StatusBar({ page, path, onHelp }: { page: 'worklist' | 'viewer'; path: string; onHelp: () => void }) {
  const [status, setStatus] = useState<NodeStatus>();
  useEffect(() => {
    getJson<NodeStatus>(apiPaths.status).then(setStatus, () => undefined);
  }, []);
  return (
    <header className="status-bar">
      <button type="button" className={page === 'worklist' ? 'tab active' : 'tab'} onClick={() => navigate({ page: 'worklist' })}>
        Worklist
      </button>
      <span className="spacer" />
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
  );
}
