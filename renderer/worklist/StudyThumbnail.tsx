/**
 * The study's WADO-RS thumbnail (/dicom-web/studies/{uid}/thumbnail); a
 * placeholder while it loads or when the node cannot render one.
 */
import { useState } from 'react';
import { DICOMWEB_ROOT, thumbnailUrl } from '../../shared/api/dicomweb-paths.js';

export const THUMBNAIL_SIZE = 40;

export function StudyThumbnail({ studyUid, version }: { studyUid: string; version: string }) {
  const [failed, setFailed] = useState<string>();
  if (failed === version) return <span className="thumb placeholder" aria-hidden="true" />;
  return (
    <img
      className="thumb"
      alt=""
      loading="lazy"
      width={THUMBNAIL_SIZE}
      height={THUMBNAIL_SIZE}
      src={thumbnailUrl(DICOMWEB_ROOT, THUMBNAIL_SIZE, studyUid)}
      onError={() => setFailed(version)}
    />
  );
}
