/** Small hand-written lists of Indonesian names, streets and birth places for the demo population (upper case, as on a KTP). */

/** Given names common across Sumatra and Kalimantan (Malay, Banjar), plus some Javanese and Christian ones. */
export const MALE_GIVEN = [
  'MUHAMMAD', 'AHMAD', 'ABDUL', 'RAHMAT', 'BUDI', 'AGUS', 'DEDI', 'HENDRA', 'RUDI', 'SYAHRIL',
  'FAUZI', 'IRWAN', 'ZAINAL', 'ARIF', 'HERMAN', 'YUSUF', 'HASAN', 'ANDI', 'RIZKY', 'FIRMAN',
  'JUNAIDI', 'SUPRIADI', 'BAMBANG', 'TAUFIK', 'SAIFUL', 'RAHMAN', 'M. NOOR', 'GUSTI', 'YOHANES', 'MARKUS',
  'ILHAM', 'FAJAR', 'DIMAS', 'RAFI', 'ALIF', 'HAFIZ', 'NAUFAL', 'ARYA', 'BAYU', 'KEVIN',
] as const;

export const FEMALE_GIVEN = [
  'SITI', 'NUR', 'DEWI', 'SRI', 'RINA', 'YULIANA', 'FITRI', 'RAHMAH', 'HALIMAH', 'NORHASANAH',
  'MASITAH', 'ROSNANI', 'YANTI', 'LINDA', 'ERNA', 'WAHYUNI', 'AISYAH', 'FATIMAH', 'MARYAM', 'ZUBAIDAH',
  'IRMA', 'LESTARI', 'NOVITA', 'RATNA', 'HERLINA', 'MARIA', 'KRISTINA', 'PUTRI', 'NABILA', 'AULIA',
  'SALSABILA', 'KEISHA', 'ANISA', 'ZAHRA', 'NAILA', 'INTAN', 'DINDA', 'AMELIA', 'TIARA', 'AYU',
] as const;

/** Second elements; most Indonesians have no family name, so these are personal too. */
export const MALE_SECOND = [
  'HIDAYAT', 'SAPUTRA', 'PRATAMA', 'RAMADHAN', 'SETIAWAN', 'SANTOSO', 'KURNIAWAN', 'FIRDAUS', 'RIFANI', 'HAMDANI',
  'ANSHARI', 'EFENDI', 'SUDIRMAN', 'HAKIM', 'MAULANA', 'NUGROHO', 'WIJAYA', 'SYAPUTRA', 'FADILLAH', 'ARDIANSYAH',
] as const;

export const FEMALE_SECOND = [
  'AMINAH', 'RAHAYU', 'LESTARI', 'WULANDARI', 'SARI', 'HANDAYANI', 'PUSPITA', 'NURHALIZA', 'KHAIRUNNISA', 'FITRIANI',
  'MAULIDA', 'JANNAH', 'SAFITRI', 'HASANAH', 'ANGGRAINI', 'KARTIKA', 'APRILIANI', 'RAMADHANI', 'OKTAVIANI', 'NOVIANTI',
] as const;

/** Batak family names (marga), carried by migrant families in Jambi; children inherit them. */
export const MARGA = ['SIREGAR', 'NASUTION', 'HARAHAP', 'SIMANJUNTAK', 'LUBIS', 'SITUMORANG'] as const;

export const STREETS: Record<'jambi' | 'tabalong', readonly string[]> = {
  jambi: [
    'JL. SULTAN THAHA', 'JL. GATOT SUBROTO', 'JL. KAPTEN PATTIMURA', 'JL. H. OK. M. JAMIL', 'JL. SOEKARNO HATTA',
    'JL. KOLONEL ABUNJANI', 'JL. LINTAS TIMUR', 'JL. ORANG KAYO HITAM', 'JL. PANGERAN DIPONEGORO', 'JL. RADEN WIJAYA',
  ],
  tabalong: [
    'JL. IR. PHM NOOR', 'JL. PANGERAN ANTASARI', 'JL. JEND. SUDIRMAN', 'JL. A. YANI', 'JL. BASUKI RAHMAT',
    'JL. MABURAI', 'JL. PAHLAWAN', 'JL. TANJUNG BATU', 'JL. KELUA RAYA', 'JL. MURUNG PUDAK',
  ],
};

/** Where people registered at each office were born when they were born locally. */
export const LOCAL_BIRTH_PLACES: Record<'jambi' | 'tabalong', readonly string[]> = {
  jambi: ['JAMBI', 'JAMBI', 'JAMBI', 'JAMBI', 'MUARO JAMBI', 'MUARA BULIAN'],
  tabalong: ['TANJUNG', 'TANJUNG', 'TABALONG', 'KELUA', 'MURUNG PUDAK', 'AMUNTAI'],
};

/**
 * Regencies people moved in from: their NIK keeps the district where it was issued. `legacy` regencies are
 * pre-2022 Papua codes (NIKs issued before the split stay valid under them).
 */
export const ORIGINS: Record<'jambi' | 'tabalong', readonly { regency: string; birthPlace: string; legacy?: boolean }[]> = {
  jambi: [
    { regency: '15.04', birthPlace: 'MUARA BULIAN' },
    { regency: '15.01', birthPlace: 'KERINCI' },
    { regency: '16.71', birthPlace: 'PALEMBANG' },
    { regency: '13.71', birthPlace: 'PADANG' },
    { regency: '33.74', birthPlace: 'SEMARANG' },
    { regency: '12.12', birthPlace: 'BALIGE' },
    { regency: '91.01', birthPlace: 'MERAUKE', legacy: true },
  ],
  tabalong: [
    { regency: '63.08', birthPlace: 'AMUNTAI' },
    { regency: '63.07', birthPlace: 'BARABAI' },
    { regency: '63.71', birthPlace: 'BANJARMASIN' },
    { regency: '62.05', birthPlace: 'MUARA TEWEH' },
    { regency: '35.78', birthPlace: 'SURABAYA' },
    { regency: '91.02', birthPlace: 'WAMENA', legacy: true },
    { regency: '92.71', birthPlace: 'SORONG', legacy: true },
  ],
};
