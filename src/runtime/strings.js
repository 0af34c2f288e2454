// The second return value of string and list lowering: a byte length or (tagged) code
// unit count, written by the lowering function and read right after it returns.

/** @type {{ len: number }} */
export const lowered = { len: 0 };
