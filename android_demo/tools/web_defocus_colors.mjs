// Runs the browser demo's own defocus colouring -- paintDefocus in web_demo/src/app.js, evaluated
// from that file's text with the page (the canvas and the legend element) stubbed out -- on the
// maps given as JSON on stdin ([[float, ...], ...], each a 1-pixel-high map), and prints
// [{"rgb": [r, g, b, ...], "legend": "..."}, ...]. make_golden_vectors.py stores that output, so the
// Android core's DefocusColors.kt is checked against the web demo's code, not a copy of it.
//
// Usage: node android_demo/tools/web_defocus_colors.mjs < maps.json
import fs from "node:fs";

const appJs = new URL("../../web_demo/src/app.js", import.meta.url);
const source = fs.readFileSync(appJs, "utf8");
const match = source.match(/^function paintDefocus\([\s\S]*?^}$/m);
if (!match) {
  console.error(`${appJs.pathname}: no top-level "function paintDefocus(" to evaluate; ` +
                "update android_demo/tools/web_defocus_colors.mjs to where the colouring lives now");
  process.exit(1);
}
let painted = null;
const legend = {textContent: ""};
const $ = (id) => (id === "defocus-legend" ? legend : {id});
const paint = (_canvas, rgba) => { painted = rgba; };
const paintDefocus = new Function("$", "paint", `${match[0]}\nreturn paintDefocus;`)($, paint);

const maps = JSON.parse(fs.readFileSync(0, "utf8"));
const out = maps.map((values) => {
  const map = Float32Array.from(values);
  paintDefocus(map, map.length, 1);
  const rgb = [];
  for (let p = 0; p < map.length; p++) rgb.push(painted[p * 4], painted[p * 4 + 1], painted[p * 4 + 2]);
  return {rgb, legend: legend.textContent};
});
process.stdout.write(JSON.stringify(out));
