"use components";
import import_log from "log";
const bitsBuffer = new ArrayBuffer(8);
const bitsF32 = new Float32Array(bitsBuffer);
const bitsI32 = new Int32Array(bitsBuffer);
function f32ToI32(f) {
    bitsF32[0] = f;
    return bitsI32[0];
}
const ComponentError = globalThis[Symbol.for('weft.ComponentError')] ??= class ComponentError extends Error {
    constructor(payload){
        super(typeof payload === 'string' ? payload : `component returned an error: ${componentErrorSummary(payload)}`);
        this.name = 'ComponentError';
        this.payload = payload;
    }
};
function componentErrorSummary(payload) {
    if (payload === undefined) return 'undefined';
    try {
        const json = JSON.stringify(payload, (_k, v)=>typeof v === 'bigint' ? `${v}n` : v);
        return json === undefined ? String(payload) : json;
    } catch  {
        return String(payload);
    }
}
async function compileBase64(b64) {
    let bytes;
    if (typeof Uint8Array.fromBase64 === 'function') {
        bytes = Uint8Array.fromBase64(b64);
    } else if (typeof atob === 'function') {
        const s = atob(b64);
        bytes = new Uint8Array(s.length);
        for(let i = 0; i < s.length; i++)bytes[i] = s.charCodeAt(i);
    } else {
        bytes = globalThis.Buffer.from(b64, 'base64');
    }
    return WebAssembly.compile(bytes);
}
const Trap = globalThis[Symbol.for('weft.Trap')] ??= class Trap extends WebAssembly.RuntimeError {
    constructor(message){
        super(message);
        this.name = 'Trap';
    }
};
function trap(message) {
    throw new Trap(message);
}
const stringMaxBytes = 2 ** 28 - 1;
function stringCheckRange(memory, ptr, byteLen, align) {
    if (byteLen > stringMaxBytes) trap(`string of ${byteLen} bytes is too long for the canonical ABI`);
    if ((ptr & align - 1) !== 0) trap(`string pointer ${ptr} is not aligned to ${align} bytes`);
    if (ptr + byteLen > memory.buffer.byteLength) trap('string is out of bounds of linear memory');
}
const utf8Decoder = new TextDecoder('utf-8', {
    fatal: true,
    ignoreBOM: true
});
function liftUtf8(memory, ptr, byteLen) {
    ptr >>>= 0;
    byteLen >>>= 0;
    stringCheckRange(memory, ptr, byteLen, 1);
    try {
        return utf8Decoder.decode(new Uint8Array(memory.buffer, ptr, byteLen));
    } catch  {
        return trap('invalid UTF-8 string');
    }
}
let poisoned = false;
let core0;
let core1;
let core2;
let core3;
let view0Buffer;
let view0View;
function view0() {
    if (core0.buffer !== view0Buffer) {
        view0Buffer = core0.buffer;
        view0View = new DataView(view0Buffer);
    }
    return view0View;
}
function trampoline0(arg0, arg1) {
    const s1 = liftUtf8(core0, arg0, arg1);
    import_log(s1);
}
function area(arg0) {
    if (poisoned) {
        trap("cannot enter component instance: it trapped earlier");
    }
    try {
        let d1 = 0;
        let s2 = 0;
        let s3 = 0;
        const v4 = arg0.tag;
        switch(v4){
            case "circle":
                d1 = 0;
                break;
            case "rect":
                d1 = 1;
                break;
            case "none":
                d1 = 2;
                break;
            default:
                throw new TypeError("invalid variant tag");
        }
        switch(d1){
            case 0:
                const v5 = arg0.value;
                s2 = f32ToI32(v5);
                break;
            case 1:
                const v6 = arg0.value;
                const v7 = v6.x;
                const v8 = v6.y;
                s2 = v7;
                s3 = v8;
                break;
        }
        const ret9 = core1(d1, s2, s3);
        return ret9;
    } catch (e) {
        if (!(e instanceof TypeError)) {
            poisoned = true;
        }
        throw e;
    }
}
function maybe(arg0) {
    if (poisoned) {
        trap("cannot enter component instance: it trapped earlier");
    }
    let result;
    try {
        let d1 = 0;
        let s2 = 0;
        let s3 = 0;
        d1 = arg0 == null ? 0 : 1;
        switch(d1){
            case 1:
                const v4 = arg0.x;
                const v5 = arg0.y;
                s2 = v4;
                s3 = v5;
                break;
        }
        const ret6 = core2(d1, s2, s3) >>> 0;
        if ((ret6 & 3) !== 0) {
            trap("result pointer is not aligned to 4 bytes");
        }
        if (ret6 + 12 > core0.buffer.byteLength || ret6 < 0) {
            trap("result pointer is out of bounds of linear memory");
        }
        const v7 = view0().getUint8(ret6);
        let r8;
        switch(v7){
            case 0:
                const v9 = view0().getInt32(ret6 + 4, true);
                const v10 = view0().getInt32(ret6 + 8, true);
                r8 = {
                    tag: "ok",
                    value: {
                        x: v9,
                        y: v10
                    }
                };
                break;
            case 1:
                const v11 = view0().getUint32(ret6 + 4, true);
                const s12 = liftUtf8(core0, v11, view0().getUint32(ret6 + 8, true));
                r8 = {
                    tag: "err",
                    value: s12
                };
                break;
            default:
                trap("invalid discriminant: " + v7);
        }
        result = r8;
    } catch (e) {
        if (!(e instanceof TypeError)) {
            poisoned = true;
        }
        throw e;
    }
    if (result.tag === "err") {
        throw new ComponentError(result.value);
    }
    return result.value;
}
const module0 = await compileBase64("AGFzbQEAAAABCQFgBH9/f38BfwMCAQAFAwEAAQYHAX8BQYAICwcUAgZtZW1vcnkCAAdyZWFsbG9jAAAKHwEdAQF/IwAgAkEBa2pBACACa3EhBCAEIANqJAAgBAsAHARuYW1lAAQDbWVtAgYBAAEEAXAHBwEABGJ1bXA=");
const exports0 = (await WebAssembly.instantiate(module0, {})).exports;
core0 = exports0.memory;
core3 = exports0.realloc;
const module1 = await compileBase64("AGFzbQEAAAABFANgAn9/AGADf39/AX1gA39/fwF/AgwBBGhvc3QDbG9nAAADAwIBAgcQAgRhcmVhAAEFbWF5YmUAAgoOAgcAQwAAAAALBABBCAsAEQRuYW1lAAIBbQEGAQADbG9n");
const exports1 = (await WebAssembly.instantiate(module1, {
    host: {
        log: trampoline0
    }
})).exports;
core1 = exports1.area;
core2 = exports1.maybe;
export { area, maybe };
