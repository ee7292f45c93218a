/** Where a window stands in a reading, from its address: absent parameters are absent, not 0. */
import { describe, expect, it } from 'vitest';
import { spreadPlaceOf } from '../../../../renderer/protocols/spread-place.js';

describe('spreadPlaceOf', () => {
  it('leaves the stage to the protocol when the address names none', () => {
    expect(spreadPlaceOf('')).toEqual({ display: 0, displays: 1, protocolId: undefined, stage: undefined });
    expect(spreadPlaceOf('?stage=')).toMatchObject({ stage: undefined });
  });

  it('reads the place of a window opened for another display', () => {
    expect(spreadPlaceOf('?display=1&displays=2&protocol=ct-chest-prior&stage=0')).toEqual({ display: 1, displays: 2, protocolId: 'ct-chest-prior', stage: 0 });
    expect(spreadPlaceOf('?display=5&displays=2&stage=-1')).toEqual({ display: 1, displays: 2, protocolId: undefined, stage: undefined });
  });
});
