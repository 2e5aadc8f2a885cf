/** Redis Cluster divides the keyspace into this many hash slots. */
export const SLOT_COUNT = 16384;

/** CRC16/XMODEM (poly 0x1021, init 0, no reflection, no final xor), table-driven. */
const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[byte] = crc;
  }
  return table;
})();

/** CRC16 of the one-byte (latin1) string `text`, over characters start..end-1. */
export function crc16(text: string, start = 0, end = text.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ text.charCodeAt(i)) & 0xff]!;
  }
  return crc;
}

/**
 * The hash slot of a key, as Redis's keyHashSlot computes it: if the key has
 * a `{` followed later by a `}` with at least one character between them,
 * only the characters between the first `{` and the first `}` after it are
 * hashed; otherwise the whole key is.
 */
export function keyHashSlot(key: string): number {
  const open = key.indexOf("{");
  if (open >= 0) {
    const close = key.indexOf("}", open + 1);
    if (close > open + 1) return crc16(key, open + 1, close) & (SLOT_COUNT - 1);
  }
  return crc16(key) & (SLOT_COUNT - 1);
}
