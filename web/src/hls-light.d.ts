// hls.js ships no declarations for its light build; it has the full build's API minus features.
declare module "hls.js/light" {
  export { default } from "hls.js";
}
