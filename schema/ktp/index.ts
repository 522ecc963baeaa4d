/** The digital KTP (SPEC service B): compact credential and presentation, signing and checking. Pure; runs in workerd, browsers and Node. */
export * from './bytes';
export * from './format';
export * from './p256';
export * from './sign';
export * from './verify';
export * from './qr';
