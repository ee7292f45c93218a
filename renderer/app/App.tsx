/** The shell: top bar, the page of the current route, the help overlay, and the auth error when the session is gone. */
import { lazy, Suspense, useEffect, useState } from 'react';
import type { StudySummary } from '../../shared/api/app-api.js';
import { SendDialog, type StudyToSend } from '../queue/SendDialog.js';
import { Worklist } from '../worklist/Worklist.js';
import { freshWorklistMemory } from '../worklist/worklist-memory.js';
import { onAuthError } from './lib/api-client.js';
import { formatPersonName } from './lib/format.js';
import { HelpOverlay } from './HelpOverlay.js';
import { navigate, pathOf, useRoute } from './routes.js';
import { StatusBar } from './StatusBar.js';
import { useEscapeLayer, useShortcuts } from './lib/use-shortcuts.js';

// Cornerstone3D and its codecs are most of the code: the worklist does not wait for them.
const ReadingRoom = lazy(() => import('./ReadingRoom.js').then((m) => ({ default: m.ReadingRoom })));

export function App() {
  const route = useRoute();
  const [authError, setAuthError] = useState<string>();
  const [helpOpen, setHelpOpen] = useState(false);
  const [worklistMemory] = useState(freshWorklistMemory);
  const [sending, setSending] = useState<StudyToSend[]>();
  useEffect(() => onAuthError((error) => setAuthError(error.message)), []);
  useShortcuts('global', { help: () => setHelpOpen((open) => !open) }, true);
  useEscapeLayer(helpOpen, () => setHelpOpen(false));
  const send = (studies: StudySummary[]) => setSending(studies.map(studyToSend));

  if (authError) {
    return (
      <main className="auth-error" role="alert">
        <h1>Not signed in to this Viewbox node</h1>
        <p>{authError}</p>
        <p>Start Viewbox again, or open the launch URL it printed (each launch URL works once).</p>
      </main>
    );
  }
  const open = (studyUid: string) => navigate({ page: 'viewer', studyUid });
  return (
    <div className="app">
      <StatusBar page={route.page} path={pathOf(route)} onHelp={() => setHelpOpen(true)} />
      {route.page === 'worklist' ? (
        <Worklist onOpen={open} onSend={send} memory={worklistMemory} />
      ) : (
        <Suspense fallback={<p className="empty">Loading the viewer…</p>}>
          <ReadingRoom key={route.studyUid} studyUid={route.studyUid} onClose={() => navigate({ page: 'worklist' })} onSend={(study) => send([study])} />
        </Suspense>
      )}
      {helpOpen && <HelpOverlay scope={route.page} onClose={() => setHelpOpen(false)} />}
      {sending && <SendDialog studies={sending} onClose={() => setSending(undefined)} />}
    </div>
  );
}

/** "DOE, JANE — CT chest": how the dialog names a study. */
function studyToSend(study: StudySummary): StudyToSend {
  return { studyUid: study.studyUid, label: [formatPersonName(study.patientName) || study.patientId, study.description].filter(Boolean).join(' — ') };
}
