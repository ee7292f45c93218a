/**
 * The study's picture (GET /api/studies/{uid}/thumbnail, rendered at the
 * screen's pixel density); for a study without images an icon that says what
 * it holds, and a plain placeholder while it loads or when the node has no
 * picture of it (204).
 */
import { useState } from 'react';
import { apiPaths } from '../../shared/api/app-api.js';
import { nonImageContent } from './study-kind.js';

interface Props {
  studyUid: string;
  modalities: readonly string[];
  /** The study's last change: a new picture is asked for when it changes. */
  version: string;
  /** CSS pixels. */
  size: number;
}

export function StudyThumbnail({ studyUid, modalities, version, size }: Props) {
  const [failed, setFailed] = useState<string>();
  const box = { width: size, height: size };
  const content = nonImageContent(modalities);
  if (content) {
    return (
      <span className="thumb no-images" style={box} title={`No images: ${content}`} role="img" aria-label={`No images: ${content}`}>
        {modalities.join(' ')}
      </span>
    );
  }
  if (failed === version) return <span className="thumb placeholder" style={box} title="No picture of this study" />;
  const pixels = Math.round(size * Math.max(1, window.devicePixelRatio || 1));
  return <img className="thumb" alt="" loading="lazy" style={box} width={size} height={size} src={apiPaths.studyThumbnail(studyUid, pixels)} onError={() => setFailed(version)} />;
}
