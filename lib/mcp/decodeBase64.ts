/**
 * The bytes of a base64 string. Uses `atob`, which Node ≥ 16 and browsers have, so this entry
 * needs no `Buffer`.
 */
export function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
