/** Demo data of the birth service: one partner hospital per demo office (its clerk is mitra.<office>) and the documents offices usually require (SPEC E). */

export const DEMO_BIRTH_REQUIREMENTS = [
  { code: 'surat_lahir', label_id: 'Surat keterangan lahir dari dokter/bidan (atau SPTJM)', label_en: 'Birth letter from the doctor or midwife (or SPTJM)', required: 1 },
  { code: 'buku_nikah', label_id: 'Buku nikah/akta perkawinan orang tua (atau SPTJM)', label_en: "Parents' marriage certificate (or SPTJM)", required: 1 },
  { code: 'kk', label_id: 'Kartu Keluarga orang tua', label_en: "Parents' family card (KK)", required: 1 },
  { code: 'ktp_ortu', label_id: 'KTP-el ayah dan ibu', label_en: "Parents' KTP-el", required: 0 },
  { code: 'ktp_saksi', label_id: 'KTP-el dua orang saksi', label_en: "Two witnesses' KTP-el", required: 0 },
] as const;

export const DEMO_PARTNERS: Record<string, { id: string; name: string; kind: 'hospital' | 'clinic' | 'midwife' }> = {
  '63.09': { id: 'demo-partner-tabalong-rsud', name: 'RSUD H. Badaruddin Kasim', kind: 'hospital' },
  '15.71': { id: 'demo-partner-jambi-rsud', name: 'RSUD Raden Mattaher', kind: 'hospital' },
};
