// hls.js ships its light build (no subtitles, no DRM: less to download) without its own types.
declare module "hls.js/light" {
  export { default } from "hls.js";
}
