import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  addressUnitsExtension,
  createVnFhirConventions,
  facilityOfMedicalRecordSystem,
  identifierKindOf,
  readAddressUnits,
  VN_FHIR,
  type IdentifierKind,
} from '@hoso/vn/fhir-conventions';
import { readSharedCsv, withoutSharedData } from './shared-data.ts';

const code = (length: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));

describe('FHIR conventions', () => {
  it('uses the VN Core identifier systems where the guides confirm one', { skip: withoutSharedData }, () => {
    const confirmed = new Set(readSharedCsv('vn-core-ig/identifier-systems.csv').map((r) => r.system_uri));
    const aligned: IdentifierKind[] = [
      'citizenId',
      'insuranceCard',
      'facilityCode',
      'practisingCertificate',
      'passport',
      'episodeKey',
    ];
    for (const kind of aligned) assert.ok(confirmed.has(VN_FHIR.identifierSystems[kind]), kind);
    for (const aliases of Object.values(VN_FHIR.identifierAliases)) {
      for (const alias of aliases) assert.ok(confirmed.has(alias), alias);
    }
  });

  it('recognises written and alias systems', () => {
    assert.equal(identifierKindOf('http://fhir.hl7.org.vn/core/sid/cccd'), 'citizenId');
    assert.equal(identifierKindOf('http://fhir.ehealth.gov.vn/core/sid/national_id'), 'citizenId');
    assert.equal(identifierKindOf('http://example.org/other'), undefined);
    for (const [kind, system] of Object.entries(VN_FHIR.identifierSystems))
      assert.equal(identifierKindOf(system), kind);
  });

  it('is configurable in one place', () => {
    const custom = createVnFhirConventions({
      base: 'https://fhir.example.vn/',
      identifierSystems: { insuranceNumber: 'https://bhxh.example.vn/sid' },
    });
    assert.equal(custom.base, 'https://fhir.example.vn');
    assert.equal(custom.identifierSystems.insuranceNumber, 'https://bhxh.example.vn/sid');
    assert.equal(custom.medicalRecordNumberSystem('01001'), 'https://fhir.example.vn/sid/mrn/01001');
    assert.equal(identifierKindOf('https://bhxh.example.vn/sid', custom), 'insuranceNumber');
    assert.equal(custom.identifierSystems.citizenId, VN_FHIR.identifierSystems.citizenId);
  });

  it('never uses one URI for two purposes', () => {
    const uris = [
      ...Object.values(VN_FHIR.identifierSystems),
      ...Object.values(VN_FHIR.identifierAliases).flat(),
      ...Object.values(VN_FHIR.extensions),
      ...Object.values(VN_FHIR.codeSystems),
    ];
    assert.equal(new Set(uris).size, uris.length);
  });

  it('gives each facility its own record-number system', () => {
    fc.assert(
      fc.property(code(5), (facility) => {
        const system = VN_FHIR.medicalRecordNumberSystem(facility);
        return facilityOfMedicalRecordSystem(system) === facility && identifierKindOf(system) === undefined;
      }),
    );
    assert.equal(facilityOfMedicalRecordSystem(VN_FHIR.identifierSystems.citizenId), undefined);
  });

  it('carries new and old unit codes on an address', () => {
    const extension = addressUnitsExtension({ province: '25', commune: '07900', legacyDistrict: '' });
    assert.deepEqual(extension, {
      url: VN_FHIR.extensions.addressUnits,
      extension: [
        { url: 'province', valueCoding: { system: VN_FHIR.codeSystems.province, code: '25' } },
        { url: 'commune', valueCoding: { system: VN_FHIR.codeSystems.commune, code: '07900' } },
      ],
    });
    fc.assert(
      fc.property(
        fc.record(
          {
            province: code(2),
            commune: code(5),
            legacyProvince: code(2),
            legacyDistrict: code(3),
            legacyWard: code(5),
          },
          { requiredKeys: [] },
        ),
        (codes) => JSON.stringify(readAddressUnits([addressUnitsExtension(codes)])) === JSON.stringify(codes),
      ),
    );
    assert.deepEqual(readAddressUnits(undefined), {});
  });
});
