/**
 * Whose images these are, in the two top corners of a view (stack, MPR
 * plane, 3D): patient name, ID, birth date, age and sex on the left; study
 * date and time, study description and series on the right.
 */
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { formatDate, formatPersonName, formatTime } from '../app/lib/format.js';
import { personNameOf, stringOf, TAG } from './dicom-json.js';

export function PatientCorner({ instance }: { instance: DicomJsonDataset }) {
  const ageSex = [stringOf(instance, TAG.patientAge), stringOf(instance, TAG.patientSex)].filter(Boolean).join(' ');
  return (
    <div className="corner top-left">
      <div className="overlay-patient-name">{formatPersonName(personNameOf(instance, TAG.patientName))}</div>
      <div className="overlay-patient-id">{stringOf(instance, TAG.patientId)}</div>
      <div>
        {formatDate(stringOf(instance, TAG.patientBirthDate))} {ageSex}
      </div>
    </div>
  );
}

/** `prior`: the images are of another study than the one opened. */
export function StudyCorner({ instance, prior }: { instance: DicomJsonDataset; prior: boolean }) {
  const seriesNumber = stringOf(instance, TAG.seriesNumber);
  return (
    <div className="corner top-right">
      {prior && <div className="overlay-prior">PRIOR</div>}
      <div className="overlay-study">
        {formatDate(stringOf(instance, TAG.studyDate))} {formatTime(stringOf(instance, TAG.studyTime))}
      </div>
      <div>{stringOf(instance, TAG.studyDescription)}</div>
      <div className="overlay-series">
        {seriesNumber !== undefined && `Se ${seriesNumber}: `}
        {stringOf(instance, TAG.seriesDescription)}
      </div>
    </div>
  );
}
