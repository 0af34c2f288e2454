"use components";
import import_log from "log";
import import_h from "h";
import import_makeH from "make-h";
import import_useH from "use-h";
class HostReps{constructor(){this.objects=[undefined];this.counts=[0];this.free=[];this.reps=new WeakMap}hostRepAdd(obj){if(obj===null||typeof obj!=="object"&&typeof obj!=="function"){throw new TypeError("expected an object for a host resource handle")}let rep=this.reps.get(obj);if(rep===undefined){rep=this.free.length>0?this.free.pop():this.objects.length;this.objects[rep]=obj;this.counts[rep]=0;this.reps.set(obj,rep)}this.counts[rep]++;return rep}own(obj){return this.hostRepAdd(obj)}lend(obj,cx){const rep=this.hostRepAdd(obj);cx.hostLends.push(this,rep);return rep}get(rep){return this.objects[rep]}take(rep){const obj=this.objects[rep];if(--this.counts[rep]===0){this.objects[rep]=undefined;this.free.push(rep);this.reps.delete(obj)}return obj}drop(rep){const last=this.counts[rep]===1;const obj=this.take(rep);if(last&&obj&&typeof obj[Symbol.dispose]==="function")obj[Symbol.dispose]()}}const Trap=globalThis[Symbol.for("weft.Trap")]??=class Trap extends WebAssembly.RuntimeError{constructor(message){super(message);this.name="Trap"}};function trap(message){throw new Trap(message)}function poisonedTrap(){const t=new Trap("cannot enter component instance: it trapped earlier");t.poisoned=true;return t}function trapPoisoned(){throw poisonedTrap()}function checkPtr(view,ptr,align,size,what){if((ptr&align-1)!==0)trap(`${what} is not aligned to ${align} bytes`);if(ptr+size>view.byteLength)trap(`${what} is out of bounds of linear memory`)}function checkFail(path,expected,v){throw new TypeError(`${path}: expected ${expected}, got ${checkKind(v)}`)}function checkKind(v){if(v===null)return"null";const t=typeof v;if(t==="number")return`number ${v}`;if(t==="boolean")return`boolean ${v}`;if(t!=="object")return t;try{if(Array.isArray(v))return`Array (length ${v.length})`;const tag=Object.prototype.toString.call(v).slice(8,-1);return tag==="Object"?"object":tag}catch{return"object"}}const ComponentError=globalThis[Symbol.for("weft.ComponentError")]??=class ComponentError extends Error{constructor(payload){super(typeof payload==="string"?payload:`component returned an error: ${componentErrorSummary(payload)}`);this.name="ComponentError";this.payload=payload}};function componentErrorSummary(payload){if(payload===undefined)return"undefined";try{const json=JSON.stringify(payload,(_k,v)=>typeof v==="bigint"?`${v}n`:v);return json===undefined?String(payload):json}catch{return String(payload)}}const handleTableMax=2**28-1;class HandleTable{constructor(){this.array=[null];this.free=[]}add(entry){if(this.free.length>0){const i=this.free.pop();this.array[i]=entry;return i}const i=this.array.length;if(i>handleTableMax)trap("handle table is full");this.array.push(entry);return i}get(i){i>>>=0;const e=i<this.array.length?this.array[i]:null;if(e===null||e===undefined)trap(`unknown handle index ${i}`);return e}remove(i){i>>>=0;const e=this.get(i);this.array[i]=null;this.free.push(i);return e}}const lowered={len:0,buffer:new ArrayBuffer(0)};const stringMaxBytes=2**28-1;const stringUtf16Tag=2**31;function stringRealloc(memory,realloc,oldPtr,oldSize,align,newSize){let ptr=realloc(oldPtr,oldSize,align,newSize);if(ptr<0)ptr+=2**32;if((ptr&align-1)!==0)trap(`realloc return value ${ptr} is not aligned to ${align} bytes`);const buffer=memory.buffer;if(ptr+newSize>buffer.byteLength){trap(`realloc return value ${ptr} + ${newSize} bytes is out of bounds of linear memory`)}lowered.buffer=buffer;return ptr}function stringCheckRange(memory,ptr,byteLen,align){if(byteLen>stringMaxBytes)trap(`string of ${byteLen} bytes is too long for the canonical ABI`);if((ptr&align-1)!==0)trap(`string pointer ${ptr} is not aligned to ${align} bytes`);const buffer=memory.buffer;if(ptr+byteLen>buffer.byteLength)trap("string is out of bounds of linear memory");return buffer}let scratchBuf=new Uint8Array(1024);let largeScratch;let largeUsed=false;let largeTimer=false;function dropIdleScratch(){if(largeUsed){largeUsed=false;scheduleScratchDrop()}else{largeScratch=undefined;largeTimer=false}}function scheduleScratchDrop(){const t=setTimeout(dropIdleScratch,1e3);t?.unref?.()}function scratchBytes(n){if(n>65536){if(typeof setTimeout!=="function")return new Uint8Array(n);largeUsed=true;if(largeScratch===undefined||largeScratch.length<n)largeScratch=new Uint8Array(n);if(!largeTimer){largeTimer=true;scheduleScratchDrop()}return largeScratch.subarray(0,n)}if(scratchBuf.length<n)scratchBuf=new Uint8Array(Math.max(n,2*scratchBuf.length));return scratchBuf.subarray(0,n)}const utf16Decoder=new TextDecoder("utf-16le",{fatal:true,ignoreBOM:true});const utf16LittleEndian=new Uint8Array(Uint16Array.of(1).buffer)[0]===1;const asciiEncoder=new TextEncoder;function liftUtf16(memory,ptr,codeUnits){ptr=ptr<0?ptr+2**32:ptr;const bytes=2*(codeUnits<0?codeUnits+2**32:codeUnits);const buffer=stringCheckRange(memory,ptr,bytes,2);try{return utf16Decoder.decode(new Uint8Array(buffer,ptr,bytes))}catch{return trap("invalid UTF-16 string")}}function checkUtf16(memory,ptr,codeUnits){ptr=ptr<0?ptr+2**32:ptr;codeUnits=codeUnits<0?codeUnits+2**32:codeUnits;const bytes=2*codeUnits;const buffer=stringCheckRange(memory,ptr,bytes,2);if(!utf16Valid(buffer,ptr,codeUnits))trap("invalid UTF-16 string")}function utf16Valid(buffer,ptr,n){if(utf16LittleEndian){const u=new Uint16Array(buffer,ptr,n);for(let i=0;i<n;i++){const c=u[i];if(c<55296||c>57343)continue;if(c>56319||i+1>=n)return false;const d=u[++i];if(d<56320||d>57343)return false}return true}const dv=new DataView(buffer,ptr,2*n);for(let i=0;i<n;i++){const c=dv.getUint16(2*i,true);if(c<55296||c>57343)continue;if(c>56319||i+1>=n)return false;const d=dv.getUint16(2*++i,true);if(d<56320||d>57343)return false}return true}function writeUtf16(buffer,ptr,str,start=0){const n=str.length-start;if(utf16LittleEndian){const u=new Uint16Array(buffer,ptr,n);if(start===0&&n>=32){const scratch=scratchBytes(n);const r=asciiEncoder.encodeInto(str,scratch);if(r.read===n&&r.written===n){u.set(scratch);return}}for(let i=0;i<n;i++)u[i]=str.charCodeAt(start+i)}else{const dv=new DataView(buffer,ptr,2*n);for(let i=0;i<n;i++)dv.setUint16(2*i,str.charCodeAt(start+i),true)}}function widenLatin1(src,buffer,ptr){const n=src.length;if(utf16LittleEndian){new Uint16Array(buffer,ptr,n).set(src)}else{const dv=new DataView(buffer,ptr,2*n);for(let i=0;i<n;i++)dv.setUint16(2*i,src[i],true)}}function storeStringToLatin1OrUtf16(memory,realloc,str,srcCodeUnits){const n=srcCodeUnits;const m=str.length;let ptr=stringRealloc(memory,realloc,0,0,2,n);let bytes=new Uint8Array(memory.buffer);let len=0;for(;len<m;len++){const c=str.charCodeAt(len);if(c>255)break;bytes[ptr+len]=c}if(len<m){const worst=2*n;ptr=stringRealloc(memory,realloc,ptr,n,2,worst);bytes=new Uint8Array(memory.buffer);for(let j=len-1;j>=0;j--){bytes[ptr+2*j]=bytes[ptr+j];bytes[ptr+2*j+1]=0}writeUtf16(memory.buffer,ptr+2*len,str,len);const encoded=2*m;if(worst>encoded)ptr=stringRealloc(memory,realloc,ptr,worst,2,encoded);lowered.len=m+stringUtf16Tag;return ptr}if(len<n)ptr=stringRealloc(memory,realloc,ptr,n,2,len);lowered.len=len;return ptr}const LINK=Symbol.for("weft.link.v1");function offerLink(state,f,sig,core,memory,realloc,post,enc){const{poisoned,poison}=state;Object.defineProperty(f,LINK,{value:{sig,core,memory,realloc,post,enc,poisoned,poison}})}function linkOf(f,sig){const d=typeof f==="function"?f[LINK]:undefined;return d!==undefined&&d.sig===sig?d:undefined}async function compileBase64(b64){let bytes;if(typeof Uint8Array.fromBase64==="function"){bytes=Uint8Array.fromBase64(b64)}else if(typeof atob==="function"){const s=atob(b64);bytes=new Uint8Array(s.length);for(let i=0;i<s.length;i++)bytes[i]=s.charCodeAt(i)}else{bytes=globalThis.Buffer.from(b64,"base64")}return WebAssembly.compile(bytes)}class ResourceType{constructor(name,dtor,instance){this.name=name;this.dtor=dtor;this.instance=instance}}class Handle{constructor(type,rep,own,scope){this.type=type;this.rep=rep;this.own=own;this.scope=scope;this.lendCount=0}}class CallContext{constructor(core=0,scopes=null){this.core=core;this.scopes=scopes;this.borrows=0;this.lenders=[];this.hostLends=[]}}function endCall(cx){if(cx.borrows!==0)trap("borrow handles still remain at the end of the call");for(const h of cx.lenders)h.lendCount--;cx.lenders.length=0;const lends=cx.hostLends;for(let i=0;i<lends.length;i+=2)lends[i].take(lends[i+1]);lends.length=0}function resourceHandleCheck(h,type,i){if(!(h instanceof Handle))trap(`handle index ${i} does not refer to a resource`);if(h.type!==type)trap(`handle is not a \`${type.name}\` (index ${i} holds a \`${h.type.name}\`)`)}function liftBorrow(table,i,type,cx){const h=table.get(i);resourceHandleCheck(h,type,i);h.lendCount++;cx.lenders.push(h);return h.rep}function lowerOwn(table,rep,type){return table.add(new Handle(type,rep,true,null))}function resourceDrop(table,type,i,instance){const h=table.get(i);resourceHandleCheck(h,type,i);if(h.lendCount!==0)trap("cannot drop a handle that is lent out");table.remove(i);if(h.own){if(type.dtor)type.dtor(h.rep)}else{h.scope.borrows--}void instance}const utf8Decoder=new TextDecoder("utf-8",{ignoreBOM:true});const utf8Encoder=new TextEncoder;function liftUtf8(memory,ptr,byteLen){ptr=ptr<0?ptr+2**32:ptr;byteLen=byteLen<0?byteLen+2**32:byteLen;const bytes=new Uint8Array(stringCheckRange(memory,ptr,byteLen,1),ptr,byteLen);const str=utf8Decoder.decode(bytes);if(str.indexOf("�")!==-1&&!utf8Valid(bytes))trap("invalid UTF-8 string");return str}function checkUtf8(memory,ptr,byteLen){ptr=ptr<0?ptr+2**32:ptr;byteLen=byteLen<0?byteLen+2**32:byteLen;const buffer=stringCheckRange(memory,ptr,byteLen,1);if(!utf8Valid(new Uint8Array(buffer,ptr,byteLen)))trap("invalid UTF-8 string")}function utf8Valid(b){const n=b.length;const base=b.byteOffset;const words=new Uint32Array(b.buffer,0,b.buffer.byteLength>>>2);const wordsEnd=Math.floor((base+n)/4);let i=0;while(i<n){const c=b[i];if(c<128){i++;if((base+i&3)===0){let w=(base+i)/4;while(w+4<=wordsEnd&&((words[w]|words[w+1]|words[w+2]|words[w+3])&0x80808080)===0)w+=4;while(w<wordsEnd&&(words[w]&0x80808080)===0)w++;i=w*4-base}continue}if(c<194)return false;if(c<224){if(i+1>=n||(b[i+1]&192)!==128)return false;i+=2;continue}if(c<240){if(i+2>=n)return false;const c1=b[i+1];if((c1&192)!==128||c===224&&c1<160||c===237&&c1>159)return false;if((b[i+2]&192)!==128)return false;i+=3;continue}if(c<245){if(i+3>=n)return false;const c1=b[i+1];if((c1&192)!==128||c===240&&c1<144||c===244&&c1>143)return false;if((b[i+2]&192)!==128||(b[i+3]&192)!==128)return false;i+=4;continue}return false}return true}function storeStringToUtf8(memory,realloc,str,worstCaseSize){const units=str.length;let ptr=stringRealloc(memory,realloc,0,0,1,units);const block=new Uint8Array(lowered.buffer,ptr,units);let i=0;if(units<=64){for(;i<units;i++){const c=str.charCodeAt(i);if(c>=128)break;block[i]=c}if(i===units){lowered.len=units;return ptr}}else{const scratch=scratchBytes(units);const first=utf8Encoder.encodeInto(str,scratch);if(first.read===units&&first.written===units){block.set(scratch);lowered.len=units;return ptr}while(i<first.written&&scratch[i]<128)i++;block.set(scratch.subarray(0,i))}ptr=stringRealloc(memory,realloc,ptr,units,1,worstCaseSize);const rest=utf8Encoder.encodeInto(i>0?str.slice(i):str,new Uint8Array(memory.buffer,ptr+i,worstCaseSize-i));const len=i+rest.written;if(worstCaseSize>len)ptr=stringRealloc(memory,realloc,ptr,worstCaseSize,1,len);lowered.len=len;return ptr}function transcodeCopy(srcMemory,srcPtr,dstMemory,dstPtr,n){new Uint8Array(dstMemory.buffer,dstPtr,n).set(new Uint8Array(srcMemory.buffer,srcPtr,n))}function transcodeLatin1ToUtf8(srcMemory,srcPtr,n,memory,realloc){let ptr=stringRealloc(memory,realloc,0,0,1,n);let src=new Uint8Array(srcMemory.buffer,srcPtr,n);let dst=new Uint8Array(memory.buffer);let i=0;for(;i<n;i++){const c=src[i];if(c>=128)break;dst[ptr+i]=c}if(i===n){lowered.len=n;return ptr}const worst=2*n;ptr=stringRealloc(memory,realloc,ptr,n,1,worst);src=new Uint8Array(srcMemory.buffer,srcPtr,n);dst=new Uint8Array(memory.buffer);let o=ptr+i;for(;i<n;i++){const c=src[i];if(c<128){dst[o++]=c}else{dst[o++]=192|c>>6;dst[o++]=128|c&63}}const len=o-ptr;if(worst>len)ptr=stringRealloc(memory,realloc,ptr,worst,1,len);lowered.len=len;return ptr}function transcodeUtf8ToUtf16(str,n,memory,realloc){const worst=2*n;let ptr=stringRealloc(memory,realloc,0,0,2,worst);writeUtf16(memory.buffer,ptr,str);const encoded=2*str.length;if(encoded<worst)ptr=stringRealloc(memory,realloc,ptr,worst,2,encoded);lowered.len=str.length;return ptr}function transcodeProbablyUtf16(srcMemory,srcPtr,n,memory,realloc){const size=2*n;let ptr=stringRealloc(memory,realloc,0,0,2,size);transcodeCopy(srcMemory,srcPtr,memory,ptr,size);const b=new Uint8Array(memory.buffer);for(let i=1;i<size;i+=2){if(b[ptr+i]!==0){lowered.len=n+stringUtf16Tag;return ptr}}for(let i=0;i<n;i++)b[ptr+i]=b[ptr+2*i];ptr=stringRealloc(memory,realloc,ptr,size,1,n);lowered.len=n;return ptr}function transcode(srcMemory,srcEncoding,srcPtr,srcTaggedLen,dstMemory,dstRealloc,dstEncoding){srcPtr=srcPtr<0?srcPtr+2**32:srcPtr;srcTaggedLen=srcTaggedLen<0?srcTaggedLen+2**32:srcTaggedLen;const m=dstMemory;const r=dstRealloc;if(srcEncoding==="utf8"){const n=srcTaggedLen;if(dstEncoding==="utf8"){checkUtf8(srcMemory,srcPtr,n);const ptr=stringRealloc(m,r,0,0,1,n);transcodeCopy(srcMemory,srcPtr,m,ptr,n);lowered.len=n;return ptr}const str=liftUtf8(srcMemory,srcPtr,n);if(dstEncoding==="utf16")return transcodeUtf8ToUtf16(str,n,m,r);if(dstEncoding==="latin1+utf16")return storeStringToLatin1OrUtf16(m,r,str,n)}else if(srcEncoding==="utf16"||srcEncoding==="latin1+utf16"&&srcTaggedLen>=stringUtf16Tag){const n=srcEncoding==="utf16"?srcTaggedLen:srcTaggedLen-stringUtf16Tag;if(dstEncoding==="utf8")return storeStringToUtf8(m,r,liftUtf16(srcMemory,srcPtr,n),3*n);if(dstEncoding==="utf16"){checkUtf16(srcMemory,srcPtr,n);const ptr=stringRealloc(m,r,0,0,2,2*n);transcodeCopy(srcMemory,srcPtr,m,ptr,2*n);lowered.len=n;return ptr}if(dstEncoding==="latin1+utf16"){if(srcEncoding==="utf16")return storeStringToLatin1OrUtf16(m,r,liftUtf16(srcMemory,srcPtr,n),n);checkUtf16(srcMemory,srcPtr,n);return transcodeProbablyUtf16(srcMemory,srcPtr,n,m,r)}}else if(srcEncoding==="latin1+utf16"){const n=srcTaggedLen;stringCheckRange(srcMemory,srcPtr,n,2);if(dstEncoding==="utf8")return transcodeLatin1ToUtf8(srcMemory,srcPtr,n,m,r);if(dstEncoding==="utf16"){const ptr=stringRealloc(m,r,0,0,2,2*n);widenLatin1(new Uint8Array(srcMemory.buffer,srcPtr,n),m.buffer,ptr);lowered.len=n;return ptr}if(dstEncoding==="latin1+utf16"){const ptr=stringRealloc(m,r,0,0,2,n);transcodeCopy(srcMemory,srcPtr,m,ptr,n);lowered.len=n;return ptr}}throw new TypeError(`unknown string encodings ${srcEncoding} -> ${dstEncoding}`)}
let poisoned = false;
let core0;
let core1;
let core2;
let core3;
let core4;
let core5;
let view1Buffer = new ArrayBuffer(0);
let view1View;
function view1() {
  if (view1Buffer.byteLength === 0) {
    view1Buffer = core0.buffer;
    view1View = new DataView(view1Buffer);
  }
  return view1View;
}
let view0Buffer = new ArrayBuffer(0);
let view0View;
function view0() {
  if (view0Buffer.byteLength === 0) {
    view0Buffer = link0Memory.buffer;
    view0View = new DataView(view0Buffer);
  }
  return view0View;
}
const hostReps = new HostReps();
const handles0 = new HandleTable();
let link0;
let link0Memory;
let link0Realloc;
let link0Enc;
const rt0 = new ResourceType("h", function(rep) {
  try {
    hostReps.drop(rep);
  } catch (e) {
    poisoned = true;
    throw e;
  }
}, -1);
function trampoline0L(arg0, arg1) {
  if (link0.poisoned()) {
    trapPoisoned();
  }
  try {
    const v1 = arg0 >>> 0;
    const p2 = transcode(core0, "utf8", v1, arg1, link0Memory, link0Realloc, link0Enc);
    const v3 = lowered.len;
    const ret4 = link0.core(p2, v3);
    if (link0.post !== undefined) {
      link0.post();
    }
  } catch (e) {
    link0.poison();
    poisoned = true;
    throw e;
  }
}
function trampoline0(arg0, arg1) {
  try {
    const s1 = liftUtf8(core0, arg0, arg1);
    import_log(s1);
  } catch (e) {
    poisoned = true;
    throw e;
  }
}
function trampoline1() {
  try {
    const r = import_makeH();
    if ((typeof r !== "object" || r === null) && typeof r !== "function") {
      checkFail("result of make-h", "object", r);
    }
    const v1 = hostReps.own(r);
    return lowerOwn(handles0, v1, rt0);
  } catch (e) {
    poisoned = true;
    throw e;
  }
}
function trampoline2(arg0) {
  try {
    const cx = new CallContext();
    const v1 = liftBorrow(handles0, arg0, rt0, cx);
    const v2 = hostReps.get(v1);
    const r = import_useH(v2);
    endCall(cx);
    if (typeof r !== "number") {
      checkFail("result of use-h", "number", r);
    }
    return r;
  } catch (e) {
    poisoned = true;
    throw e;
  }
}
function trampoline3(x) {
  try {
    return resourceDrop(handles0, rt0, x, 0);
  } catch (e) {
    poisoned = true;
    throw e;
  }
}
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
    return core1(arg0, arg1) >>> 0;
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
          return core1(arg0, arg1) >>> 0;
        } catch (e) {
          poisoned = true;
          throw e;
        }
      }
    }
  }
  return addChecked(arg0, arg1);
}
function greet() {
  if (poisoned) {
    trapPoisoned();
  }
  try {
    core2();
  } catch (e) {
    poisoned = true;
    throw e;
  }
}
function check(arg0) {
  if (poisoned) {
    trapPoisoned();
  }
  if (typeof arg0 !== "number") {
    checkFail("arg 0", "number", arg0);
  }
  let result;
  try {
    const ret1 = core3(arg0) >>> 0;
    checkPtr(view1(), ret1, 4, 8, "result pointer");
    const v2 = view1().getUint8(ret1);
    let r3;
    switch(v2){
      case 0:
        r3 = {
          tag: "ok",
          value: view1().getUint32(ret1 + 4, true)
        };
        break;
      case 1:
        r3 = {
          tag: "err",
          value: view1().getUint32(ret1 + 4, true)
        };
        break;
      default:
        trap("invalid discriminant: " + v2);
    }
    result = r3;
  } catch (e) {
    poisoned = true;
    throw e;
  }
  if (result.tag === "err") {
    throw new ComponentError(result.value);
  }
  return result.value;
}
function boom() {
  if (poisoned) {
    trapPoisoned();
  }
  try {
    core4();
  } catch (e) {
    poisoned = true;
    throw e;
  }
}
function hold() {
  if (poisoned) {
    trapPoisoned();
  }
  try {
    return core5() >>> 0;
  } catch (e) {
    poisoned = true;
    throw e;
  }
}
if ((link0 = linkOf(import_log, "(string)")) !== undefined) {
  link0Memory = link0.memory;
  link0Realloc = link0.realloc;
  link0Enc = link0.enc;
}
const module0 = await compileBase64("AGFzbQEAAAAFAwEAAQcKAQZtZW1vcnkCAAsIAQBBEAsCaGkACwRuYW1lAAQDbWVt");
const exports0 = (await WebAssembly.instantiate(module0, {})).exports;
core0 = exports0.memory;
const module1 = await compileBase64("AGFzbQEAAAABHAZgAn9/AGAAAX9gAX8Bf2ABfwBgAn9/AX9gAAACMAUABm1lbW9yeQIAAQADbG9nAAAABm1ha2UtaAABAAV1c2UtaAACAAZkcm9wLWgAAwMGBQQFAgUBByUFA2FkZAAEBWdyZWV0AAUFY2hlY2sABgRib29tAAcEaG9sZAAICksFBwAgACABagsOAEEQQQIQAEEQQQEQAAsYAEHAACAAQQpPNgIAQcQAIAA2AgBBwAALAwAACxUBAX8QASEAIAAQAiAAEAJqIAAQAwsANQRuYW1lAAIBbQEdBAADbG9nAQZtYWtlLWgCBXVzZS1oAwZkcm9wLWgCCwIGAQABbggBAAFo");
const exports1 = (await WebAssembly.instantiate(module1, {
  "": {
    memory: exports0.memory,
    log: link0 ? trampoline0L : trampoline0,
    "make-h": trampoline1,
    "use-h": trampoline2,
    "drop-h": trampoline3
  }
})).exports;
core1 = exports1.add;
core2 = exports1.greet;
core3 = exports1.check;
core4 = exports1.boom;
core5 = exports1.hold;
const linkState = {
  poisoned: ()=>poisoned,
  poison: ()=>poisoned = true
};
offerLink(linkState, add, "(u32,u32)->u32", core1);
offerLink(linkState, greet, "()", core2);
offerLink(linkState, check, "(u32)->result<u32,u32>", core3, core0, undefined, undefined, "utf8");
offerLink(linkState, boom, "()", core4);
offerLink(linkState, hold, "()->u32", core5);
export { add, greet, check, boom, hold };
