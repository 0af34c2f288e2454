"use components";
const Trap=globalThis[Symbol.for("weft.Trap")]??=class Trap extends WebAssembly.RuntimeError{constructor(message){super(message);this.name="Trap"}};function trap(message){throw new Trap(message)}function poisonedTrap(){const t=new Trap("cannot enter component instance: it trapped earlier");t.poisoned=true;return t}function trapPoisoned(){throw poisonedTrap()}function checkFail(path,expected,v){throw new TypeError(`${path}: expected ${expected}, got ${checkKind(v)}`)}function checkKind(v){if(v===null)return"null";const t=typeof v;if(t==="number")return`number ${v}`;if(t==="boolean")return`boolean ${v}`;if(t!=="object")return t;try{if(Array.isArray(v))return`Array (length ${v.length})`;const tag=Object.prototype.toString.call(v).slice(8,-1);return tag==="Object"?"object":tag}catch{return"object"}}const LINK=Symbol.for("weft.link.v1");function offerLink(state,f,sig,core,memory,realloc,post,enc){const{poisoned,poison}=state;Object.defineProperty(f,LINK,{value:{sig,core,memory,realloc,post,enc,poisoned,poison}})}async function compileBase64(b64){let bytes;if(typeof Uint8Array.fromBase64==="function"){bytes=Uint8Array.fromBase64(b64)}else if(typeof atob==="function"){const s=atob(b64);bytes=new Uint8Array(s.length);for(let i=0;i<s.length;i++)bytes[i]=s.charCodeAt(i)}else{bytes=globalThis.Buffer.from(b64,"base64")}return WebAssembly.compile(bytes)}
let poisoned = false;
let core0;
function addChecked(arg0, arg1) {
  if (poisoned) {
    trapPoisoned();
  }
  if (typeof arg0 !== "number") {
    checkFail("arg 0", "number", arg0);
  }
  if (typeof arg1 !== "number") {
    checkFail("arg 1", "number", arg1);
  }
  try {
    return core0(arg0, arg1) >>> 0;
  } catch (e) {
    poisoned = true;
    throw e;
  }
}
function add(arg0, arg1) {
  if (!poisoned) {
    if (typeof arg0 === "number") {
      if (typeof arg1 === "number") {
        try {
          return core0(arg0, arg1) >>> 0;
        } catch (e) {
          poisoned = true;
          throw e;
        }
      }
    }
  }
  return addChecked(arg0, arg1);
}
const module0 = await compileBase64("AGFzbQEAAAABBwFgAn9/AX8DAgEABwcBA2FkZAAACgkBBwAgACABagsACQRuYW1lAAIBbQ==");
const exports0 = (await WebAssembly.instantiate(module0, {})).exports;
core0 = exports0.add;
const linkState = {
  poisoned: ()=>poisoned,
  poison: ()=>poisoned = true
};
offerLink(linkState, add, "(u32,u32)->u32", core0);
export { add };
